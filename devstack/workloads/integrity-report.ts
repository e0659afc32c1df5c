/** The pure half of the integrity check: which acknowledged writes are gone, and when they were made. */
import type { MissingWrites } from "../../lib/contract/workload-answers";

export interface AckedWrite {
  seq: number;
  /** When Redis acknowledged the write (epoch ms). */
  at: number;
}

/** Summarizes which acknowledged writes were not found (`present[i]` belongs to `acked[i]`). */
export function missingWrites(acked: AckedWrite[], present: boolean[], sampleSize = 50): MissingWrites {
  const missing = acked.filter((_, i) => !present[i]);
  if (missing.length === 0) return { count: 0, firstSeq: null, lastSeq: null, window: null, sample: [] };
  const ats = missing.map((m) => m.at);
  return {
    count: missing.length,
    firstSeq: missing[0].seq,
    lastSeq: missing[missing.length - 1].seq,
    window: { from: new Date(Math.min(...ats)).toISOString(), to: new Date(Math.max(...ats)).toISOString() },
    sample: missing.slice(0, sampleSize).map((m) => m.seq),
  };
}

/** The key of one integrity write. */
export function integrityKey(prefix: string, run: string, seq: number): string {
  return `${prefix}${run}:${seq}`;
}
