/** Small statistics for the bench: nearest-rank percentiles, rounding. */

/** Nearest-rank percentile (p in 0..100) of xs; null when there is no sample. */
export function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const median = (xs: number[]) => percentile(xs, 50);

/** Rounds to `digits` decimals, keeping null. */
export function round(x: number | null, digits = 2): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
