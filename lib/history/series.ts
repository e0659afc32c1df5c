/** Chart-ready series from raw history points: rates from counter deltas, gaps where a node was down. Pure. */
import { counterRate, missRatio } from "./rates";
import type { HistoryPoint, NodePoint } from "./types";

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

/** Hit and miss ratios look back at least this far: per-second ratios of a few lookups only flicker. */
export const RATIO_SPAN_MS = 10_000;

/** A point with no sample (node down or not scraped): a gap in the chart, never zeros. */
export const gap = (t: number): NodeSeriesPoint => ({
  t,
  up: false,
  usedMemory: null,
  maxmemory: null,
  usedRatio: null,
  evictedPerSec: null,
  expiredPerSec: null,
  hitRatio: null,
  missRatio: null,
  connectedClients: null,
  opsPerSec: null,
  forkSeconds: null,
  fragmentationRatio: null,
});

const isUp = (p: HistoryPoint | undefined, id: string): NodePoint | null => {
  const n = p?.nodes[id];
  return n && n.up ? n : null;
};

/**
 * Per node, one point per kept tick; `maxPoints` thins long ranges by taking every k-th tick.
 * A node down at any tick of a thinned bucket makes that point a gap, so short outages stay visible.
 */
export function toNodeSeries(points: HistoryPoint[], maxPoints = 900): Record<string, NodeSeriesPoint[]> {
  const ids = new Set<string>();
  for (const p of points) for (const id of Object.keys(p.nodes)) ids.add(id);
  const step = Math.max(1, Math.ceil(points.length / maxPoints));
  const out: Record<string, NodeSeriesPoint[]> = {};
  for (const id of ids) {
    const series: NodeSeriesPoint[] = [];
    let lastDown = -1;
    let ratioBase = 0;
    for (let i = 0; i < points.length; i++) {
      if (!isUp(points[i], id)) lastDown = i;
      if (i % step !== 0) continue;
      const cur = points[i];
      const n = isUp(cur, id);
      // Down anywhere in this bucket (or right before it): a gap, and no rate across it.
      if (!n || lastDown >= Math.max(0, i - step + 1)) {
        series.push(gap(cur.t));
        continue;
      }
      const prev = i >= step ? isUp(points[i - step], id) : null;
      const dt = i >= step ? cur.t - points[i - step].t : 0;
      while (ratioBase + 1 < i && points[ratioBase + 1].t <= cur.t - RATIO_SPAN_MS) ratioBase++;
      const base = isUp(points[Math.max(Math.min(ratioBase, i - step), lastDown + 1, 0)], id);
      const miss = base ? missRatio({ hits: base.keyspaceHits, misses: base.keyspaceMisses }, { hits: n.keyspaceHits, misses: n.keyspaceMisses }) : null;
      series.push({
        t: cur.t,
        up: true,
        usedMemory: n.usedMemory,
        maxmemory: n.maxmemory,
        usedRatio: n.usedMemory !== null && n.maxmemory ? n.usedMemory / n.maxmemory : null,
        evictedPerSec: counterRate(prev?.evictedKeys, n.evictedKeys, dt),
        expiredPerSec: counterRate(prev?.expiredKeys, n.expiredKeys, dt),
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
