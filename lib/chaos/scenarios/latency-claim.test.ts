import { describe, expect, it } from "vitest";
import { judgeL1Latency, latencyReached } from "./latency-claim";

describe("judgeL1Latency", () => {
  it("reads the guide's ~120 ms+ at 100 ms as at least 108 ms (10 % below 120)", () => {
    expect(judgeL1Latency(100, 111.7)).toMatchObject({ predictedMs: 120, floorMs: 108, claimHolds: true, targetMet: false, targetMissPredicted: true });
    expect(judgeL1Latency(100, 107.9).claimHolds).toBe(false);
    expect(judgeL1Latency(100, 400).claimHolds).toBe(true);
  });
  it("scales the prediction with the injected latency and predicts the 50 ms target met below 30 ms", () => {
    expect(judgeL1Latency(10, 14)).toMatchObject({ predictedMs: 30, floorMs: 27, claimHolds: false, targetMet: true, targetMissPredicted: false });
    expect(judgeL1Latency(500, 300)).toMatchObject({ floorMs: 468, claimHolds: false });
  });
  it("holds nothing without a sample", () => {
    expect(judgeL1Latency(100, null)).toMatchObject({ claimHolds: false, targetMet: false });
  });
});

describe("latencyReached", () => {
  const stats = (p50: Record<string, number | null>) => ({
    layers: Object.fromEntries(Object.entries(p50).map(([id, v]) => [id, { latencyMs: { samples: 40, p50: v } }])),
  });
  it("is reached when some layer's median rose by half the injected latency", () => {
    expect(latencyReached(stats({ L1: 3, L2: 4 }), stats({ L1: 104, L2: 5 }), 100)).toMatchObject({ reached: true });
  });
  it("is not reached when no layer got slower (the proxy was not in the path)", () => {
    const r = latencyReached(stats({ L1: 3, L2: 4 }), stats({ L1: 6, L2: 5 }), 100);
    expect(r.reached).toBe(false);
    expect(r.why).toContain("L1 P50 3→6 ms");
  });
  it("is not reached without samples to compare", () => {
    expect(latencyReached(stats({ L1: null }), stats({ L1: 120 }), 100).reached).toBe(false);
  });
});
