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

interface LayerLatencies {
  layers: Partial<Record<string, { latencyMs: { samples: number; p50: number | null } }>>;
}

/**
 * Did the added latency reach the layers? Some layer's median rose by at least half the
 * injected round trip over its baseline; if none did, the proxy was not in the path and the
 * latency claim was not exercised.
 */
export function latencyReached(baseline: LayerLatencies, during: LayerLatencies, injectedMs: number): { reached: boolean; why: string } {
  const rises: string[] = [];
  let best = -Infinity;
  for (const [id, l] of Object.entries(during.layers)) {
    const before = baseline.layers[id]?.latencyMs.p50;
    const now = l?.latencyMs.p50;
    if (before === null || before === undefined || now === null || now === undefined || !l?.latencyMs.samples) continue;
    best = Math.max(best, now - before);
    rises.push(`${id} P50 ${before}→${now} ms`);
  }
  if (!rises.length) return { reached: false, why: "no layer has a baseline and a measured median to compare" };
  const reached = best >= injectedMs / 2;
  return { reached, why: reached ? rises.join(", ") : `no layer got slower by ${injectedMs / 2} ms or more (${rises.join(", ")})` };
}
