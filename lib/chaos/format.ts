/**
 * Times measured from the collector's snapshots, as people read them. The console looks once a
 * tick (1 s), so a time at or under 0 (the tick that saw the change began before it) is below
 * the resolution: it reads "< 1 tick (≤ 1 s)", never "0". Pure, client-safe.
 */
export const BELOW_TICK = "< 1 tick (≤ 1 s)";

/** "2.31 s", or BELOW_TICK for 0 or less; "—" for no value. */
export function formatSeconds(secs: number | null | undefined): string {
  if (secs === null || secs === undefined || Number.isNaN(secs)) return "—";
  return secs <= 0 ? BELOW_TICK : `${secs} s`;
}

/** A run's measurement for display: the `_s` durations through formatSeconds, the rest as they are. */
export function formatMetric(key: string, value: number | string | null): string {
  if (value === null) return "—";
  if (typeof value === "number" && /_s$/.test(key)) return formatSeconds(value);
  return String(value);
}
