import { getConfigAuditor } from "@/lib/config/audit-service";
import { deploymentFor } from "@/lib/deployments/resolve";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Each node's and sentinel's settings against the guide's production baseline (read every 30 s, cached). */
export function GET(request: Request) {
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  return json(getConfigAuditor(d.deployment.collector).current());
}
