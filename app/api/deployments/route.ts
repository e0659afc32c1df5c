import { getDeployments } from "@/lib/collector/instance";
import { authorizeSome } from "@/lib/auth/access";
import { deploymentFor } from "@/lib/deployments/resolve";
import { roleOn } from "@/lib/auth/roles";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json } from "@/lib/http/responses";
import { prometheusSource } from "@/lib/prometheus/source";

export const dynamic = "force-dynamic";

/** The deployments this console watches that the caller may see (the first is the default), and where long chart ranges come from. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const who = await authorizeSome(request);
  if (!who.ok) return who.response;
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  const grants = who.principal.grants;
  const deployments = getDeployments();
  const prometheus = prometheusSource();
  return json({
    default: deployments.default.name,
    deployments: deployments.summaries().filter((s) => roleOn(grants, s.name) !== null),
    history: { memoryMinutes: 60, prometheus: prometheus ? { url: prometheus.display } : null },
  });
}
