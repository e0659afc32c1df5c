import { z } from "zod";
import { deploymentFor } from "@/lib/deployments/resolve";
import { toNodeSeries } from "@/lib/history/series";
import { json, parseQuery } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const Query = z.object({
  minutes: z.coerce.number({ message: "minutes must be a number" }).int("minutes must be a whole number").min(1, "minutes must be at least 1").max(60, "the console keeps 60 minutes; ask for at most 60").default(15),
});

/** Time series of the sampled metrics over the last N minutes, per node. */
export function GET(request: Request) {
  const d = deploymentFor(request.url);
  if (!d.ok) return d.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const collector = d.deployment.collector;
  const from = Date.now() - q.data.minutes * 60_000;
  const points = collector.history.toArray().filter((p) => p.t >= from);
  return json({
    minutes: q.data.minutes,
    tickMs: collector.settings.tickMs,
    thresholds: collector.settings.thresholds,
    source: "memory",
    from: new Date(from).toISOString(),
    to: new Date().toISOString(),
    nodes: toNodeSeries(points),
    layers: points.map((p) => ({ t: p.t, ...Object.fromEntries(Object.entries(p.layers).map(([id, l]) => [id, l.latencyMs])) })),
  });
}
