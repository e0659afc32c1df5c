import { describe, expect, it } from "vitest";
import { counterRate, missRatio } from "./rates";

describe("counterRate", () => {
  it("is the per-second increase", () => expect(counterRate(100, 150, 500)).toBe(100));
  it("is a gap, never negative, across a counter reset (restarted Redis)", () => expect(counterRate(5000, 3, 1000)).toBeNull());
  it("is a gap when either sample is missing", () => {
    expect(counterRate(null, 10, 1000)).toBeNull();
    expect(counterRate(10, null, 1000)).toBeNull();
  });
  it("is zero when nothing changed", () => expect(counterRate(7, 7, 1000)).toBe(0));
});

describe("missRatio", () => {
  it("is misses over lookups in the interval", () => expect(missRatio({ hits: 10, misses: 10 }, { hits: 13, misses: 11 })).toBe(0.25));
  it("is null without lookups or across a reset", () => {
    expect(missRatio({ hits: 1, misses: 1 }, { hits: 1, misses: 1 })).toBeNull();
    expect(missRatio({ hits: 100, misses: 100 }, { hits: 2, misses: 1 })).toBeNull();
  });
});
