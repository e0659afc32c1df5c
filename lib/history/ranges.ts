/**
 * The chart ranges the UI offers, in minutes (components/charts/time-range.tsx shows them). A
 * Prometheus range is asked only for one of these: any other `minutes` is rounded up to the next,
 * so a loop over 61…1440 costs three answers per deployment, not 1380.
 */
export const OFFERED_MINUTES = [5, 15, 60, 180, 360, 1440] as const;

/** The smallest offered range that covers `minutes` (the largest for anything beyond it). */
export function offeredRange(minutes: number): number {
  return OFFERED_MINUTES.find((m) => m >= minutes) ?? OFFERED_MINUTES[OFFERED_MINUTES.length - 1];
}
