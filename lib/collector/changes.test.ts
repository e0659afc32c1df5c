import { describe, expect, it } from "vitest";
import type { LayerSnapshot, Snapshot } from "../snapshot/types";
import { diffSnapshots } from "./changes";

/** A snapshot with only what the layer diff reads; the rest empty and unchanged between the two. */
function snap(layer: Partial<LayerSnapshot>): Snapshot {
  return {
    at: "2026-12-01T00:00:00.000Z",
    redis: { available: true, availabilityDetail: "", nodes: [] },
    sentinel: {
      masterName: "mymaster",
      master: { addr: null, flags: [], configEpoch: null },
      quorum: null,
      sentinels: [],
      reachable: 0,
      failoverInProgress: false,
      splitView: false,
      blind: false,
      majority: 1,
    },
    layers: [{ id: "L1", status: "ok", expected: "ok", agrees: true, violation: false, summary: "gateway 200", checks: [], ...layer } as LayerSnapshot],
  } as unknown as Snapshot;
}

describe("layer changes in the timeline", () => {
  it("a layer in its contract's outage state gets the contract's tenant impact", () => {
    const [e] = diffSnapshots(snap({}), snap({ status: "degraded", summary: "gateway 200 X-RateLimit-Status: degraded" }));
    expect(e.title).toBe("L1 degraded (was ok)");
    expect(e.detail).toMatch(/Rate limiting is off/);
  });
  it("a layer doing something else (L1 failing closed) is not said to do what the contract says", () => {
    const [e] = diffSnapshots(snap({}), snap({ status: "unavailable", summary: "gateway 500" }));
    expect(e.title).toBe("L1 unavailable (was ok)");
    expect(e.detail).toBe("gateway 500.");
  });
});
