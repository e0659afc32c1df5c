import { describe, expect, it } from "vitest";
import { hashSlot } from "../../lib/contract/cluster-keys";
import { clusterFillerKey, fillerTag } from "./cluster-filler";

const inRanges = (slot: number, ranges: [number, number][]) => ranges.some(([a, b]) => slot >= a && slot <= b);

describe("filler keys on one cluster master", () => {
  it("are tagged into the node's own slots, for each of the three masters redis-cli makes", () => {
    const shards: [number, number][][] = [
      [[0, 5460]],
      [[5461, 10922]],
      [[10923, 16383]],
      [[100, 100]],
      [
        [7, 9],
        [16000, 16001],
      ],
    ];
    for (const slots of shards) {
      const tag = fillerTag(slots)!;
      const key = clusterFillerKey(tag)("ab12", 3);
      expect(key).toBe(`chaos:filler:{${tag}}:ab12:3`);
      expect(inRanges(hashSlot(key), slots)).toBe(true);
    }
  });

  it("has no tag for a master without slots", () => {
    expect(fillerTag([])).toBeNull();
  });
});
