import { describe, expect, it } from "vitest";
import { mergeClasses, mergeReports } from "./merge";
import type { KeyClassStats, KeyspaceReport } from "./types";

const cls = (keyClass: KeyClassStats["keyClass"], sampledKeys: number, meanBytes: number, estimatedKeys: number): KeyClassStats => ({
  keyClass,
  holds: "x",
  sampledKeys,
  meanBytes,
  estimatedKeys,
  estimatedBytes: estimatedKeys * meanBytes,
  keyShare: 0,
  evictions: 1,
  prefixes: [{ prefix: keyClass === "L1" ? "l1:rl:" : "l3:session:", sampledKeys, meanBytes, estimatedKeys, estimatedBytes: estimatedKeys * meanBytes }],
});

const report = (classes: KeyClassStats[], dbsize: number, usedMemory: number): KeyspaceReport => ({
  at: "2026-12-02T00:00:00.000Z",
  state: "ok",
  master: "m",
  dbsize,
  usedMemory,
  sample: { keys: 10, passes: 3, fullWalks: 1, passSeconds: 20, keysPerPass: 200, recheckPerPass: 30, maxAgeSeconds: 180, memoryUsage: true },
  classes,
  evictions: { observed: 2, attributed: 1, pending: 0, unattributed: 1, since: null, method: "m" },
  sizing: [{ what: "w", prefix: "l1:rl:", guideBytes: 100, measuredBytes: 100, sampledKeys: 2 }],
  scaleTriggers: [],
});

describe("merging shards' keyspace estimates", () => {
  it("sums keys and bytes per class and weighs the mean by sampled keys", () => {
    const merged = mergeClasses([[cls("L1", 10, 100, 1000)], [cls("L1", 30, 200, 3000), cls("L3", 5, 1000, 50)]]);
    const l1 = merged.find((c) => c.keyClass === "L1")!;
    expect(l1).toMatchObject({ sampledKeys: 40, estimatedKeys: 4000, estimatedBytes: 100_000 + 600_000, evictions: 2 });
    expect(l1.meanBytes).toBe(175);
    expect(l1.keyShare).toBeCloseTo(4000 / 4050);
  });

  it("gives the scale triggers cluster-wide sums", () => {
    const m = mergeReports([report([cls("L1", 10, 100, 60)], 100, 1e6), report([cls("L1", 10, 100, 70)], 100, 2e6)], ["shard-1", "shard-2"]);
    expect(m.dbsize).toBe(200);
    expect(m.usedMemory).toBe(3e6);
    const tenants = m.scaleTriggers.find((t) => t.id === "tenants")!;
    // 130 windows over two shards: past the guide's 100, though neither shard alone is.
    expect(tenants.value).toBe(130);
    expect(tenants.basis).toContain("summed over 2 shards");
    expect(m.master).toBe("shard-1: m, shard-2: m");
  });
});
