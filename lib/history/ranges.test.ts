import { describe, expect, it } from "vitest";
import { offeredRange, OFFERED_MINUTES } from "./ranges";

describe("offeredRange", () => {
  it("rounds up to the next range the UI offers", () => {
    expect(offeredRange(61)).toBe(180);
    expect(offeredRange(180)).toBe(180);
    expect(offeredRange(181)).toBe(360);
    expect(offeredRange(1439)).toBe(1440);
    expect(offeredRange(3)).toBe(5);
  });
  it("maps every minutes from 61 to 1440 onto three ranges", () => {
    const ranges = new Set(Array.from({ length: 1380 }, (_, i) => offeredRange(61 + i)));
    expect([...ranges]).toEqual([180, 360, 1440]);
    expect(OFFERED_MINUTES).toEqual(expect.arrayContaining([...ranges]));
  });
});
