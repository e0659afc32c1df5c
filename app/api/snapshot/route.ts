import { deploymentFor } from "@/lib/deployments/resolve";
import { NO_STORE } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** The current state of the default deployment, or of `?deployment=`; serialized once per tick, whatever the number of callers. */
export function GET(request: Request) {
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  return new Response(d.deployment.collector.snapshotJson(), { headers: { ...NO_STORE, "Content-Type": "application/json" } });
}
