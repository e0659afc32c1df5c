import { accessDeployment } from "@/lib/auth/access";
import { NO_STORE } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** The current state of the default deployment, or of `?deployment=`; serialized once per tick, whatever the number of callers. */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  return new Response(d.deployment.collector.snapshotJson(), { headers: { ...NO_STORE, "Content-Type": "application/json" } });
}
