import { getConfigAuditor } from "@/lib/config/audit-service";
import { accessDeployment } from "@/lib/auth/access";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Each node's and sentinel's settings against the guide's production baseline (read every 30 s, cached). */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  return json(getConfigAuditor(d.deployment.collector).current());
}
