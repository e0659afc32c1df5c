import { describe, expect, it } from "vitest";
import { judgeL1Latency } from "./latency-claim";

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
