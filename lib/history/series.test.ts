import { describe, expect, it } from "vitest";
import { RATIO_SPAN_MS, toNodeSeries } from "./series";
import type { HistoryPoint, NodePoint } from "./types";

const up = (extra: Partial<NodePoint> = {}): NodePoint => ({
  up: true,
  role: "master",
  usedMemory: 1000,
  maxmemory: 4000,
  evictedKeys: 0,
  expiredKeys: 0,
  keyspaceHits: 0,
  keyspaceMisses: 0,
  connectedClients: 5,
  totalCommands: null,
  opsPerSec: 10,
  latestForkUsec: 500,
  fragmentationRatio: 1.1,
  ...extra,
});
const down: NodePoint = {
  ...up(),
  up: false,
  usedMemory: null,
  maxmemory: null,
  evictedKeys: null,
  expiredKeys: null,
  keyspaceHits: null,
  keyspaceMisses: null,
};
const at = (sec: number, a: NodePoint): HistoryPoint => ({ t: sec * 1000, nodes: { a }, layers: {} });

describe("toNodeSeries", () => {
  it("turns counters into per-second rates", () => {
    const s = toNodeSeries([at(0, up({ evictedKeys: 100 })), at(2, up({ evictedKeys: 140, expiredKeys: 6 }))]).a;
    expect(s[1]).toMatchObject({ evictedPerSec: 20, expiredPerSec: 3, usedRatio: 0.25, forkSeconds: 0.0005 });
    expect(s[0].evictedPerSec).toBeNull();
  });

  it("shows a down node as a gap, not zeros, and never a negative rate across its restart", () => {
    const s = toNodeSeries([
      at(0, up({ evictedKeys: 5000, expiredKeys: 900 })),
      at(1, down),
      at(2, up({ evictedKeys: 3, expiredKeys: 1 })),
      at(3, up({ evictedKeys: 5, expiredKeys: 1 })),
    ]).a;
    expect(s[1]).toMatchObject({ up: false, usedMemory: null, evictedPerSec: null, connectedClients: null });
    expect(s[2].evictedPerSec).toBeNull();
    expect(s[3].evictedPerSec).toBe(2);
    expect(s.every((p) => p.evictedPerSec === null || p.evictedPerSec >= 0)).toBe(true);
  });

  it("never goes negative when a restart happened between two ticks (counter reset, no down tick)", () => {
    const s = toNodeSeries([at(0, up({ evictedKeys: 5000 })), at(1, up({ evictedKeys: 2 }))]).a;
    expect(s[1].evictedPerSec).toBeNull();
  });

  it("keeps a short outage visible as a gap when long ranges are thinned", () => {
    const points = Array.from({ length: 40 }, (_, i) => at(i, i === 13 ? down : up({ evictedKeys: i })));
    const s = toNodeSeries(points, 10).a; // step 4: ticks 0, 4, 8, 12, 16 …
    expect(s.map((p) => p.up)).toEqual([true, true, true, true, false, true, true, true, true, true]);
  });

  it("judges hit and miss ratios over at least 10 s, so a quiet second does not flicker to 0 or 100 %", () => {
    const points = Array.from({ length: 21 }, (_, i) => at(i, up({ keyspaceHits: i * 3, keyspaceMisses: i + (i === 20 ? 5 : 0) })));
    const s = toNodeSeries(points).a;
    const last = s[20];
    // Over ticks 10..20: 30 hits, 15 misses.
    expect(RATIO_SPAN_MS).toBe(10_000);
    expect(last.missRatio).toBeCloseTo(15 / 45);
    expect(last.hitRatio).toBeCloseTo(30 / 45);
    expect(s[0].missRatio).toBeNull(); // no lookups seen yet
  });

  it("starts the ratio window again after a node was down", () => {
    const points = [
      at(0, up({ keyspaceHits: 1000, keyspaceMisses: 0 })),
      at(1, down),
      at(2, up({ keyspaceHits: 0, keyspaceMisses: 0 })),
      at(3, up({ keyspaceHits: 1, keyspaceMisses: 3 })),
    ];
    expect(toNodeSeries(points).a[3].missRatio).toBe(0.75);
  });
});
