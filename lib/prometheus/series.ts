/**
 * Prometheus range results → the Memory page's per-node series (the same shape memory serves).
 * Each node takes, per metric, the redis_exporter series of its address when there is one (its
 * history does not depend on the console having been up), else the console's own. Pure.
 */
import { gap, type NodeSeriesPoint } from "../history/series";
import type { PromMetric } from "./queries";

export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export type SeriesOrigin = "redis_exporter" | "console";

/** `redis://user@host:port/0`, `host:port` → `host:port`. */
export function instanceAddr(instance: string | undefined): string | null {
  if (!instance) return null;
  const m = /^(?:rediss?:\/\/)?(?:[^@/]*@)?([^/?#]+)/.exec(instance);
  return m ? m[1] : null;
}

/** Where a series comes from, if it belongs to the node at `addr` of `deployment`. */
export function seriesOrigin(labels: Record<string, string>, addr: string, deployment: string): SeriesOrigin | null {
  if (labels.addr) return labels.addr === addr && (labels.deployment === undefined || labels.deployment === deployment) ? "console" : null;
  return instanceAddr(labels.instance) === addr ? "redis_exporter" : null;
}

function pickSeries(all: PromSeries[], addr: string, deployment: string): { series: PromSeries; origin: SeriesOrigin } | null {
  let fallback: { series: PromSeries; origin: SeriesOrigin } | null = null;
  for (const series of all) {
    const origin = seriesOrigin(series.metric, addr, deployment);
    if (origin === "redis_exporter") return { series, origin };
    if (origin === "console" && !fallback) fallback = { series, origin };
  }
  return fallback;
}

function valuesByTime(series: PromSeries | undefined, scale = 1): Map<number, number> {
  const out = new Map<number, number>();
  for (const [t, v] of series?.values ?? []) {
    const n = Number(v);
    if (Number.isFinite(n)) out.set(Math.round(t * 1000), n * scale);
  }
  return out;
}

export interface NodeRef {
  id: string;
  addr: string;
}

/**
 * One point per step from `startMs` to `endMs` for each node. No sample, or redis_up 0, is a
 * gap (never a zero); ratios are misses over lookups in the rate window.
 */
export function toPrometheusNodeSeries(
  results: Record<PromMetric, PromSeries[]>,
  nodes: NodeRef[],
  deployment: string,
  window: { startMs: number; endMs: number; stepMs: number },
): { nodes: Record<string, NodeSeriesPoint[]>; origins: Record<string, SeriesOrigin | null> } {
  const out: Record<string, NodeSeriesPoint[]> = {};
  const origins: Record<string, SeriesOrigin | null> = {};
  for (const node of nodes) {
    const pick = (m: PromMetric) => pickSeries(results[m] ?? [], node.addr, deployment);
    const used = pick("usedMemory");
    origins[node.id] = used?.origin ?? null;
    const fork = pick("fork");
    const v = {
      up: valuesByTime(pick("up")?.series),
      used: valuesByTime(used?.series),
      max: valuesByTime(pick("maxmemory")?.series),
      evicted: valuesByTime(pick("evictedPerSec")?.series),
      expired: valuesByTime(pick("expiredPerSec")?.series),
      hits: valuesByTime(pick("hitsPerSec")?.series),
      misses: valuesByTime(pick("missesPerSec")?.series),
      clients: valuesByTime(pick("connectedClients")?.series),
      ops: valuesByTime(pick("opsPerSec")?.series),
      fork: valuesByTime(fork?.series, fork?.series.metric.__name__ === "redis_latest_fork_usec" ? 1e-6 : 1),
      frag: valuesByTime(pick("fragmentationRatio")?.series),
    };
    const points: NodeSeriesPoint[] = [];
    for (let t = window.startMs; t <= window.endMs; t += window.stepMs) {
      const usedMemory = v.used.get(t) ?? null;
      const upValue = v.up.get(t);
      if (usedMemory === null || upValue === 0) {
        points.push(gap(t));
        continue;
      }
      const maxmemory = v.max.get(t) ?? null;
      const hits = v.hits.get(t);
      const misses = v.misses.get(t);
      const lookups = hits !== undefined && misses !== undefined ? hits + misses : 0;
      points.push({
        t,
        up: true,
        usedMemory,
        maxmemory,
        usedRatio: maxmemory ? usedMemory / maxmemory : null,
        evictedPerSec: v.evicted.get(t) ?? null,
        expiredPerSec: v.expired.get(t) ?? null,
        hitRatio: lookups > 0 ? hits! / lookups : null,
        missRatio: lookups > 0 ? misses! / lookups : null,
        connectedClients: v.clients.get(t) ?? null,
        opsPerSec: v.ops.get(t) ?? null,
        forkSeconds: v.fork.get(t) ?? null,
        fragmentationRatio: v.frag.get(t) ?? null,
      });
    }
    out[node.id] = points;
  }
  return { nodes: out, origins };
}
