import "server-only";
/**
 * Chart ranges served from Prometheus: one range query per chart metric, in parallel, each with
 * the target's deadline. Answers are shared for a few seconds per deployment and range, and a
 * query in flight is never doubled, so the number of viewers does not multiply Prometheus load.
 */
import type { ConsoleConfig } from "../config/schema";
import { PrometheusError, queryRange, type RangeSeries } from "../prometheus/client";
import { nodeQueries, PROM_METRICS, rateWindowFor, stepFor, type PromMetric } from "../prometheus/queries";
import { toPrometheusNodeSeries } from "../prometheus/series";
import type { PrometheusTarget } from "../prometheus/url";
import { offeredRange } from "./ranges";
import type { HistoryResponse } from "./types";

export type PrometheusHistory = { ok: true; body: HistoryResponse } | { ok: false; error: string };

const MAX_CACHED = 64;
const cache = new Map<string, { until: number; answer: Promise<PrometheusHistory> }>();

async function query(config: ConsoleConfig, minutes: number, target: PrometheusTarget, nowMs: number): Promise<PrometheusHistory> {
  const step = stepFor(minutes);
  // Aligned to the step, so repeated asks within one step hit the same samples.
  const end = Math.floor(nowMs / 1000 / step) * step;
  const start = end - minutes * 60;
  const nodes = config.redis.nodes.map((n) => ({ id: n.id, addr: `${n.host}:${n.port}` }));
  const queries = nodeQueries(
    nodes.map((n) => n.addr),
    config.deployment,
    rateWindowFor(step),
  );
  try {
    const answers = await Promise.all(PROM_METRICS.map((m) => queryRange(target, queries[m], { start, end, stepSeconds: step })));
    const results = Object.fromEntries(PROM_METRICS.map((m, i) => [m, answers[i]])) as Record<PromMetric, RangeSeries[]>;
    const series = toPrometheusNodeSeries(results, nodes, config.deployment, { startMs: start * 1000, endMs: end * 1000, stepMs: step * 1000 });
    return {
      ok: true,
      body: {
        minutes,
        tickMs: step * 1000,
        thresholds: config.thresholds,
        source: "prometheus",
        prometheus: { url: target.display, stepSeconds: step, series: series.origins },
        from: new Date(start * 1000).toISOString(),
        to: new Date(end * 1000).toISOString(),
        nodes: series.nodes,
        layers: [],
      },
    };
  } catch (err) {
    if (err instanceof PrometheusError) return { ok: false, error: err.message };
    return { ok: false, error: `Prometheus at ${target.display} answered something the console could not read` };
  }
}

/** Histories being asked of Prometheus at once (each is one query_range per chart metric), across deployments. */
const MAX_IN_FLIGHT = 4;
let inFlight = 0;

/**
 * The last `minutes` of a deployment's node metrics from Prometheus, or why Prometheus could not
 * give them. `minutes` is rounded up to a range the UI offers (the answer says which).
 */
export function prometheusHistory(config: ConsoleConfig, asked: number, target: PrometheusTarget, nowMs = Date.now()): Promise<PrometheusHistory> {
  const minutes = offeredRange(asked);
  const key = `${config.deployment}\u0000${minutes}`;
  const hit = cache.get(key);
  if (hit && hit.until > nowMs) return hit.answer;
  if (inFlight >= MAX_IN_FLIGHT)
    return Promise.resolve({ ok: false, error: `Prometheus at ${target.display} is already answering ${MAX_IN_FLIGHT} chart ranges` });
  for (const [k, v] of cache) if (v.until <= nowMs) cache.delete(k);
  while (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  // A failure is kept as briefly as an answer: a dead Prometheus is asked again at most every few seconds.
  const ttlMs = Math.min(30_000, Math.max(5_000, stepFor(minutes) * 1000));
  inFlight++;
  const entry = { until: Number.POSITIVE_INFINITY, answer: query(config, minutes, target, nowMs).finally(() => inFlight--) };
  // Shared while in flight; kept for ttlMs once answered.
  void entry.answer.then(() => (entry.until = Date.now() + ttlMs));
  cache.set(key, entry);
  return entry.answer;
}
