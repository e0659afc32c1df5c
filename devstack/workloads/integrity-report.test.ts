import { describe, expect, it } from "vitest";
import { integrityKey, missingWrites } from "./integrity-report";

describe("missingWrites", () => {
  const acked = [1, 2, 3, 4, 5].map((seq) => ({ seq, at: 1_000 * seq }));
  it("reports nothing when every acknowledged write is there", () => {
    expect(missingWrites(acked, [true, true, true, true, true])).toEqual({ count: 0, firstSeq: null, lastSeq: null, window: null, sample: [] });
  });
  it("reports first/last missing seq, count and the time window", () => {
    const m = missingWrites(acked, [true, false, true, false, true]);
    expect(m).toEqual({
      count: 2,
      firstSeq: 2,
      lastSeq: 4,
      window: { from: new Date(2000).toISOString(), to: new Date(4000).toISOString() },
      sample: [2, 4],
    });
  });
  it("bounds the sample", () => {
    expect(missingWrites(acked, [false, false, false, false, false], 2).sample).toEqual([1, 2]);
  });
  it("names keys by run and seq", () => {
    expect(integrityKey("chaos:integrity:", "r1", 7)).toBe("chaos:integrity:r1:7");
  });
});
