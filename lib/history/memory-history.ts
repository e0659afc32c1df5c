import "server-only";
/** Chart ranges served from the collector's own samples: the last hour, kept in memory. */
import type { Collector } from "../collector/collector";
import { toNodeSeries } from "./series";
import type { HistoryResponse } from "./types";

/** How far back the collector's ring buffer reaches. */
export const MEMORY_MINUTES = 60;

/** The last `minutes` (at most MEMORY_MINUTES) of a collector's samples, per node. */
export function memoryHistory(collector: Collector, minutes: number, nowMs = Date.now()): HistoryResponse {
  const from = nowMs - minutes * 60_000;
  const points = collector.history.toArray().filter((p) => p.t >= from);
  return {
    minutes,
    tickMs: collector.settings.tickMs,
    thresholds: collector.settings.thresholds,
    source: "memory",
    from: new Date(from).toISOString(),
    to: new Date(nowMs).toISOString(),
    nodes: toNodeSeries(points),
    layers: points.map((p) => ({ t: p.t, ...Object.fromEntries(Object.entries(p.layers).map(([id, l]) => [id, l.latencyMs])) })),
  };
}
