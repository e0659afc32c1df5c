import { describe, expect, it } from "vitest";
import { estimateClasses, guideSizing, OTHER_PREFIX, prefixOf, sampleKey, scaleTriggers } from "./estimate";

const NOW = 1_000_000;
const keys = (prefix: string, n: number, bytes: number | null, pttl = -1) => Array.from({ length: n }, (_, i) => sampleKey(`${prefix}${i}`, bytes, pttl, NOW));

describe("key-class attribution", () => {
  it("puts each key in its layer's namespace by the contract's prefixes", () => {
    expect(sampleKey("l1:rl:tenant-a", 90, -1, NOW)).toMatchObject({ keyClass: "L1", prefix: "l1:rl:" });
    expect(sampleKey("l2:cache:abc", 500, 60_000, NOW)).toMatchObject({ keyClass: "L2", prefix: "l2:cache:", expiresAt: NOW + 60_000 });
    expect(sampleKey("l3:session:s1", 1100, 1000, NOW)).toMatchObject({ keyClass: "L3", prefix: "l3:session:" });
    expect(sampleKey("cp:webhooks:t", 80, -1, NOW)).toMatchObject({ keyClass: "CP", prefix: "cp:", expiresAt: null });
    expect(sampleKey("chaos:filler:ab:1", 65_000, 1000, NOW)).toMatchObject({ keyClass: "filler" });
    expect(prefixOf("someone:else")).toBe(OTHER_PREFIX);
  });
});

describe("estimateClasses", () => {
  it("extrapolates the sampled share to DBSIZE and memory from the mean sampled size", () => {
    const sample = [...keys("l3:session:", 10, 1000), ...keys("l2:cache:", 30, 200)];
    const classes = estimateClasses(sample, 4000, {}, true);
    const l3 = classes.find((c) => c.keyClass === "L3")!;
    const l2 = classes.find((c) => c.keyClass === "L2")!;
    expect(l3).toMatchObject({ sampledKeys: 10, estimatedKeys: 1000, meanBytes: 1000, estimatedBytes: 1_000_000, keyShare: 0.25 });
    expect(l2).toMatchObject({ estimatedKeys: 3000, estimatedBytes: 600_000 });
    expect(classes[0].keyClass).toBe("L3"); // most memory first
    expect(l3.exampleKeys).toEqual(["l3:session:0", "l3:session:1", "l3:session:2"]);
  });

  it("always lists the four layers, and leaves key names out in presentation mode", () => {
    const classes = estimateClasses(keys("chaos:filler:x:", 5, 65_000), 5, {}, false);
    expect(classes.map((c) => c.keyClass).sort()).toEqual(["CP", "L1", "L2", "L3", "filler"]);
    expect(classes.every((c) => c.exampleKeys === undefined)).toBe(true);
    expect(JSON.stringify(classes)).not.toContain("chaos:filler:x:");
  });

  it("carries the evictions attributed to a class, even one no longer in the sample", () => {
    const classes = estimateClasses(keys("l2:cache:", 3, 100), 3, { L3: 41.6, L2: 2 }, false);
    expect(classes.find((c) => c.keyClass === "L3")).toMatchObject({ evictions: 42, sampledKeys: 0, estimatedKeys: 0 });
  });

  it("reports unknown memory, not zero, when MEMORY USAGE is unavailable", () => {
    const l1 = estimateClasses(keys("l1:rl:", 4, null), 8, {}, false).find((c) => c.keyClass === "L1")!;
    expect(l1).toMatchObject({ estimatedKeys: 8, meanBytes: null, estimatedBytes: null });
  });
});

describe("guideSizing and scaleTriggers", () => {
  it("compares measured bytes per rate-limit window and per session with the guide's ~100 B and ~1 KB", () => {
    const s = guideSizing([...keys("l1:rl:", 2, 300), ...keys("l3:session:", 2, 1400)]);
    expect(s[0]).toMatchObject({ prefix: "l1:rl:", guideBytes: 100, measuredBytes: 300, sampledKeys: 2 });
    expect(s[1]).toMatchObject({ prefix: "l3:session:", guideBytes: 1024, measuredBytes: 1400 });
  });

  it("reads tenants from rate-limit windows, sessions from session keys, memory from L2 + L3", () => {
    const classes = estimateClasses([...keys("l1:rl:", 1, 100), ...keys("l3:session:", 5, 1000), ...keys("l2:cache:", 4, 500)], 1000, {}, false);
    const t = Object.fromEntries(scaleTriggers(classes, 5_000_000).map((x) => [x.id, x]));
    expect(t.tenants).toMatchObject({ value: 100, threshold: 100 });
    expect(t.sessions).toMatchObject({ value: 500, threshold: 50_000 });
    expect(t.memory.value).toBe(500 * 1000 + 400 * 500);
    expect(t.memory.threshold).toBe(10 * 1024 ** 3);
  });
});
