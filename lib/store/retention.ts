import "server-only";
/** Retention: records older than `store.retentionDays` go (timeline events, finished runs, failovers). */
import type { Store } from "./store";

export interface RetentionResult {
  cutoff: string;
  timeline: number;
  runs: number;
  failovers: number;
}

/** Deletes what is older than `days` before `now`; what went. Idempotent; the console runs it on the lease holder only. */
export async function applyRetention(store: Store, days: number, now = Date.now()): Promise<RetentionResult> {
  const cutoff = new Date(now - days * 86_400_000);
  return {
    cutoff: cutoff.toISOString(),
    timeline: await store.timeline.deleteBefore(cutoff),
    runs: await store.runs.deleteBefore(cutoff),
    failovers: await store.failovers.deleteBefore(cutoff),
  };
}
