import { describe, expect, it } from "vitest";
import { isStale, memoryOverThreshold, memoryUsedRatio, sentinelMajority } from "./rules";

describe("snapshot rules", () => {
  it("stale after three ticks without data, never before the first", () => {
    expect(isStale(null, 1000)).toBe(false);
    expect(isStale(3, 1000)).toBe(false);
    expect(isStale(3.1, 1000)).toBe(true);
    expect(isStale(3.1, 2000)).toBe(false);
  });
  it("a majority of the known sentinels", () => {
    expect([1, 2, 3, 4, 5].map(sentinelMajority)).toEqual([1, 2, 2, 3, 3]);
  });
  it("memory ratio against maxmemory, none without a limit", () => {
    expect(memoryUsedRatio({ usedMemory: 50, maxmemory: 100 })).toBe(0.5);
    expect(memoryUsedRatio({ usedMemory: 50, maxmemory: 0 })).toBeNull();
    expect(memoryOverThreshold({ usedMemory: 85, maxmemory: 100 }, 0.8)).toBe(true);
    expect(memoryOverThreshold({ usedMemory: 85, maxmemory: 100 }, 0.9)).toBe(false);
    expect(memoryOverThreshold({ usedMemory: 85, maxmemory: 0 }, 0.1)).toBe(false);
  });
});
