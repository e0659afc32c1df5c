import { describe, expect, it } from "vitest";
import { keysGone, tallyByPrefix, type KeyCensus } from "./key-census";

describe("tallyByPrefix", () => {
  it("counts keys under the contract's prefixes, the filler and the rest", () => {
    const counts: Record<string, number> = {};
    tallyByPrefix(["l3:session:a", "l3:session:b", "l3:a2a:a", "l2:cache:x", "chaos:filler:1:0", "chaos:integrity:r:1", "cp:tenant:t", "stray"], counts);
    expect(counts).toEqual({ "l3:session:": 2, "l3:a2a:": 1, "l2:cache:": 1, "chaos:filler:": 1, "chaos:integrity:": 1, "cp:": 1, other: 1 });
  });
  it("prefers the longest matching prefix", () => {
    const counts: Record<string, number> = {};
    tallyByPrefix(["ab:c"], counts, ["a", "ab:"]);
    expect(counts).toEqual({ "ab:": 1 });
  });
});

describe("keysGone", () => {
  const census = (counts: Record<string, number>): KeyCensus => ({ counts, total: 0, complete: true, evictedKeys: 0 });
  it("counts what went away per prefix and ignores growth", () => {
    expect(keysGone(census({ "l3:session:": 200, "chaos:filler:": 10 }), census({ "l3:session:": 62, "chaos:filler:": 800 }))).toEqual({
      "l3:session:": 138,
      "chaos:filler:": 0,
    });
  });
});
