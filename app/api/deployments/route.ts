import { getDeployments } from "@/lib/collector/instance";
import { deploymentFor } from "@/lib/deployments/resolve";
import { json } from "@/lib/http/responses";
import { prometheusSource } from "@/lib/prometheus/source";

export const dynamic = "force-dynamic";

/** The deployments this console watches (the first is the default), and where long chart ranges come from. */
export function GET(request: Request) {
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  const deployments = getDeployments();
  const prometheus = prometheusSource();
  return json({
    default: deployments.default.name,
    deployments: deployments.summaries(),
    history: { memoryMinutes: 60, prometheus: prometheus ? { url: prometheus.display } : null },
  });
}
