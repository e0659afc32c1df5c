import { describe, expect, it } from "vitest";
import { DenialBudget, WINDOW_MS } from "./denial-budget";

describe("denial budget", () => {
  it("writes a client's first denials of a minute one by one and counts the rest", () => {
    const b = new DenialBudget(3);
    const t0 = 1_000_000;
    const writes = Array.from({ length: 10 }, (_, i) => b.admit("10.0.0.9", t0 + i * 100).write);
    expect(writes).toEqual([true, true, true, false, false, false, false, false, false, false]);
    // Another client has its own budget.
    expect(b.admit("10.0.0.7", t0 + 1000).write).toBe(true);
    expect(b.holdsBack()).toBe(true);
    // The minute ends: the seven held back are reported once, with when they came.
    expect(b.close(t0 + WINDOW_MS)).toEqual([{ client: "10.0.0.9", count: 7, from: t0 + 300, to: t0 + 900 }]);
    expect(b.close(t0 + WINDOW_MS + 1)).toEqual([]);
    expect(b.holdsBack()).toBe(false);
    // A new minute, a new budget.
    expect(b.admit("10.0.0.9", t0 + WINDOW_MS + 5).write).toBe(true);
  });

  it("reports a window it closes to stay within its client bound", () => {
    const b = new DenialBudget(1, 2);
    b.admit("a", 0);
    b.admit("a", 1);
    b.admit("b", 2);
    const { write, closed } = b.admit("c", 3);
    expect(write).toBe(true);
    expect(closed).toEqual([{ client: "a", count: 1, from: 1, to: 1 }]);
  });
});
