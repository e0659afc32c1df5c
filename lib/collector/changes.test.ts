import { describe, expect, it } from "vitest";
import type { LayerSnapshot, Snapshot } from "../snapshot/types";
import { carryKnown, diffSnapshots } from "./changes";

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

describe("a look that could not tell is not a change", () => {
  const titles = (seq: Partial<LayerSnapshot>[]) => {
    let known: Snapshot | null = null;
    const out: string[] = [];
    for (const layer of seq) {
      const next = snap(layer);
      if (known) out.push(...diffSnapshots(known, next).map((e) => e.title));
      known = carryKnown(known, next);
    }
    return out;
  };
  it("ok, unknown (a probe clipped by its deadline), unavailable is one change from ok", () => {
    expect(titles([{}, { status: "unknown" }, { status: "unavailable", summary: "gateway 503" }])).toEqual(["L1 unavailable (was ok)"]);
  });
  it("ok, unknown, ok is nothing", () => {
    expect(titles([{}, { status: "unknown" }, {}])).toEqual([]);
  });
  it("a violation is what each look judged: broken while unknown, kept again after", () => {
    expect(titles([{}, { status: "unknown", violation: true }, { status: "degraded", violation: false }])).toEqual([
      "L1 breaks its failure contract",
      "L1 degraded (was ok)",
      "L1 keeps its contract again",
    ]);
  });
  it("Redis's availability not known for a look is carried too", () => {
    const withRedis = (available: boolean | null) => ({ ...snap({}), redis: { available, availabilityDetail: "", nodes: [] } }) as Snapshot;
    let known = carryKnown(null, withRedis(true));
    const mid = withRedis(null);
    expect(diffSnapshots(known, mid)).toEqual([]);
    known = carryKnown(known, mid);
    expect(diffSnapshots(known, withRedis(true))).toEqual([]);
    expect(diffSnapshots(known, withRedis(false)).map((e) => e.title)).toEqual(["Redis unreachable for the layers"]);
  });
});
