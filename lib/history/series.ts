/** Chart-ready series from raw history points: rates from counter deltas, gaps where a node was down. Pure. */
import { counterRate, missRatio } from "./rates";
import type { HistoryPoint } from "./types";

export interface NodeSeriesPoint {
  t: number;
  up: boolean;
  usedMemory: number | null;
  maxmemory: number | null;
  usedRatio: number | null;
  evictedPerSec: number | null;
  expiredPerSec: number | null;
  hitRatio: number | null;
  missRatio: number | null;
  connectedClients: number | null;
  opsPerSec: number | null;
  forkSeconds: number | null;
  fragmentationRatio: number | null;
}

/** Per node, one point per kept tick; `maxPoints` thins long ranges by taking every k-th tick. */
export function toNodeSeries(points: HistoryPoint[], maxPoints = 900): Record<string, NodeSeriesPoint[]> {
  const ids = new Set<string>();
  for (const p of points) for (const id of Object.keys(p.nodes)) ids.add(id);
  const step = Math.max(1, Math.ceil(points.length / maxPoints));
  const out: Record<string, NodeSeriesPoint[]> = {};
  for (const id of ids) {
    const series: NodeSeriesPoint[] = [];
    for (let i = 0; i < points.length; i += step) {
      const cur = points[i];
      const prev = i - step >= 0 ? points[i - step] : null;
      const n = cur.nodes[id];
      const pn = prev?.nodes[id];
      const dt = prev ? cur.t - prev.t : 0;
      if (!n || !n.up) {
        series.push({ t: cur.t, up: false, usedMemory: null, maxmemory: null, usedRatio: null, evictedPerSec: null, expiredPerSec: null, hitRatio: null, missRatio: null, connectedClients: null, opsPerSec: null, forkSeconds: null, fragmentationRatio: null });
        continue;
      }
      const live = pn && pn.up ? pn : null;
      const miss = live ? missRatio({ hits: live.keyspaceHits, misses: live.keyspaceMisses }, { hits: n.keyspaceHits, misses: n.keyspaceMisses }) : null;
      series.push({
        t: cur.t,
        up: true,
        usedMemory: n.usedMemory,
        maxmemory: n.maxmemory,
        usedRatio: n.usedMemory !== null && n.maxmemory ? n.usedMemory / n.maxmemory : null,
        evictedPerSec: counterRate(live?.evictedKeys, n.evictedKeys, dt),
        expiredPerSec: counterRate(live?.expiredKeys, n.expiredKeys, dt),
        hitRatio: miss === null ? null : 1 - miss,
        missRatio: miss,
        connectedClients: n.connectedClients,
        opsPerSec: n.opsPerSec,
        forkSeconds: n.latestForkUsec === null ? null : n.latestForkUsec / 1e6,
        fragmentationRatio: n.fragmentationRatio,
      });
    }
    out[id] = series;
  }
  return out;
}
