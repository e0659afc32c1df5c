import { getDeployments } from "@/lib/collector/instance";
import { deploymentFor } from "@/lib/deployments/resolve";
import { readiness } from "@/lib/store/readiness";

/** Readiness: 200 once the store answers and the collectors have looked once, else 503 with the reasons. Open, like /api/health. */
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  const r = await readiness(getDeployments().all.map((x) => ({ name: x.name, collector: x.collector })));
  return Response.json(
    { status: r.ready ? "ready" : "not-ready", reason: r.reasons.join("; ") || null, ...r },
    { status: r.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
