import { describe, expect, it } from "vitest";
import { livenessEveryMs, MAX_PINGS_PER_SECOND } from "./liveness";

describe("livenessEveryMs", () => {
  it("keeps 100 ms up to 40 nodes, then spreads the budget: 200 nodes (a fleet of 100) ping every 500 ms", () => {
    expect(livenessEveryMs(2)).toBe(100);
    expect(livenessEveryMs(40)).toBe(100);
    expect(livenessEveryMs(200)).toBe(500);
    for (const n of [41, 120, 200, 1000]) expect((n * 1000) / livenessEveryMs(n)).toBeLessThanOrEqual(MAX_PINGS_PER_SECOND);
  });
});
