import { describe, expect, it } from "vitest";
import { probePercentile, recoveryOf } from "./probe-traffic";

const s = (at: number, ok: boolean, latencyMs: number | null = 5) => ({ at, ok, state: ok ? "ok" : "unavailable", latencyMs });

describe("recoveryOf", () => {
  it("times the first failure after the fault and the first ok after the last failure", () => {
    expect(recoveryOf([s(0, false), s(100, true), s(200, false), s(300, false), s(400, true), s(500, false), s(600, true)], 150)).toEqual({
      failedAt: 200,
      okAgainAt: 600,
      failures: 3,
    });
  });
  it("a layer that never failed after the fault has nothing to recover from", () => {
    expect(recoveryOf([s(0, false), s(200, true), s(300, true)], 100)).toEqual({ failedAt: null, okAgainAt: null, failures: 0 });
  });
  it("still failing at the end: no ok again", () => {
    expect(recoveryOf([s(200, false), s(300, false)], 100)).toEqual({ failedAt: 200, okAgainAt: null, failures: 2 });
  });
});

describe("probePercentile", () => {
  it("is the nearest rank over the answered probes only", () => {
    const samples = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((ms, i) => s(i, true, ms));
    expect(probePercentile(samples, 50)).toBe(50);
    expect(probePercentile(samples, 99)).toBe(100);
    expect(probePercentile([s(0, false, null), s(1, true, 7)], 99)).toBe(7);
    expect(probePercentile([s(0, false, null)], 99)).toBeNull();
  });
});
