import { describe, expect, it } from "vitest";
import { byteTicks } from "./node-metrics";

const MB = 1024 ** 2;

describe("byteTicks", () => {
  it("ticks memory at round binary sizes, covering the maximum", () => {
    expect(byteTicks(67_126_560)).toEqual([0, 16 * MB, 32 * MB, 48 * MB, 64 * MB, 80 * MB]);
    expect(byteTicks(3 * MB)).toEqual([0, MB, 2 * MB, 3 * MB]);
    expect(byteTicks(0)).toEqual([0]);
  });
});
