/**
 * Per-second rates from monotonically increasing Redis counters. A counter that goes down
 * means the node restarted: that interval becomes a gap, never a negative rate.
 */
export function counterRate(prev: number | null | undefined, cur: number | null | undefined, dtMs: number): number | null {
  if (prev == null || cur == null || dtMs <= 0) return null;
  if (cur < prev) return null;
  return ((cur - prev) * 1000) / dtMs;
}

/** Miss ratio over an interval, from hit/miss counter deltas; null without traffic or across a reset. */
export function missRatio(prev: { hits: number | null; misses: number | null } | null, cur: { hits: number | null; misses: number | null }): number | null {
  if (!prev || prev.hits == null || prev.misses == null || cur.hits == null || cur.misses == null) return null;
  const dh = cur.hits - prev.hits;
  const dm = cur.misses - prev.misses;
  if (dh < 0 || dm < 0 || dh + dm === 0) return null;
  return dm / (dh + dm);
}
