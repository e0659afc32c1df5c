/**
 * The guide's latency claim made checkable. Pure. "At 100 ms Redis latency, L1 P99 will be
 * ~120 ms+": L1's rate-limit check sits on the request path, so its P99 is the injected round
 * trip plus ~20 ms. "~" is read as a 10 % tolerance below that, "+" as no upper bound.
 */
export const L1_P99_TARGET_MS = 50;
/** What the guide adds on top of the Redis latency (100 ms → ~120 ms). */
export const GUIDE_OVERHEAD_MS = 20;
export const CLAIM_TOLERANCE = 0.9;

export interface LatencyVerdict {
  predictedMs: number;
  /** The lowest P99 that still counts as "~predicted ms+". */
  floorMs: number;
  claimHolds: boolean;
  targetMet: boolean;
  /** The guide's arithmetic says the 50 ms target is missed at this latency. */
  targetMissPredicted: boolean;
}

/** Judges an observed L1 P99 (null: no sample) at `injectedMs` of added round-trip latency. */
export function judgeL1Latency(injectedMs: number, p99: number | null): LatencyVerdict {
  const predictedMs = injectedMs + GUIDE_OVERHEAD_MS;
  const floorMs = Math.round(CLAIM_TOLERANCE * predictedMs * 10) / 10;
  return {
    predictedMs,
    floorMs,
    claimHolds: p99 !== null && p99 >= floorMs,
    targetMet: p99 !== null && p99 <= L1_P99_TARGET_MS,
    targetMissPredicted: predictedMs > L1_P99_TARGET_MS,
  };
}
