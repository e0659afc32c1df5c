import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Collector } from "../collector/collector";
import { KeyspaceSampler } from "./sampler";

/** FNV-1a with a final avalanche: a stand-in for Redis's bucket order. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Just enough of a Redis master for the sampler: SCAN pages over a key map, pipelines, and a call log. */
class FakeMaster {
  readonly calls: string[] = [];
  constructor(readonly keys: Map<string, { bytes: number; pttl: number }>) {}
  async scan(cursor: string, ...args: (string | number)[]): Promise<[string, string[]]> {
    this.calls.push(`SCAN ${cursor} ${args.join(" ")}`);
    // Real SCAN walks hash buckets: key order is unrelated to key names.
    const all = [...this.keys.keys()].sort((a, b) => hash(a) - hash(b));
    const from = Number(cursor);
    const count = Number(args[args.indexOf("COUNT") + 1]);
    const next = from + count >= all.length ? "0" : String(from + count);
    return [next, all.slice(from, from + count)];
  }
  pipeline() {
    const ops: (() => [Error | null, unknown])[] = [];
    const p = {
      call: (cmd: string, sub: string, key: string) => {
        this.calls.push(`${cmd} ${sub} ${key}`);
        ops.push(() => [null, this.keys.get(key)?.bytes ?? null]);
        return p;
      },
      pttl: (key: string) => {
        this.calls.push(`PTTL ${key}`);
        ops.push(() => [null, this.keys.get(key)?.pttl ?? -2]);
        return p;
      },
      dbsize: () => {
        ops.push(() => [null, this.keys.size]);
        return p;
      },
      exec: async () => ops.map((op) => op()),
    };
    return p;
  }
}

function setup(n: number) {
  const keys = new Map<string, { bytes: number; pttl: number }>();
  for (let i = 0; i < n; i++) keys.set(i % 2 ? `l2:cache:${i}` : `chaos:filler:x:${i}`, { bytes: i % 2 ? 200 : 80_000, pttl: i % 2 ? -1 : 600_000 });
  const redis = new FakeMaster(keys);
  let evictedKeys = 0;
  const collector = {
    settings: { timeouts: { redisMs: 500 } },
    snapshot: () => ({ seq: 1, redis: { nodes: [{ id: "redis-a", up: true, role: "master", usedMemory: 1e6, evictedKeys }] } }),
    nodeClients: () => [{ id: "redis-a", addr: "127.0.0.1:1", redis }],
  } as unknown as Collector;
  return { keys, redis, collector, evict: (count: number) => (evictedKeys += count) };
}

describe("KeyspaceSampler", () => {
  // Passes run 10 s apart, as in production.
  let now = Date.parse("2026-11-26T10:00:00Z");
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(now);
  });
  afterEach(() => vi.useRealTimers());
  const pass = async (sampler: KeyspaceSampler) => {
    now += 10_000;
    vi.setSystemTime(now);
    await sampler.pass();
  };

  it("samples a bounded number of keys per pass with SCAN and never KEYS", async () => {
    const { redis, collector } = setup(500);
    const sampler = new KeyspaceSampler(collector);
    await pass(sampler);
    const usage = redis.calls.filter((c) => c.startsWith("MEMORY USAGE"));
    expect(usage.length).toBeLessThanOrEqual(30);
    expect(usage.length).toBeGreaterThan(0);
    expect(redis.calls.some((c) => /^KEYS/.test(c))).toBe(false);
    expect(redis.calls.filter((c) => c.startsWith("SCAN")).every((c) => c.includes("COUNT"))).toBe(true);
  });

  it("walks on from where the last pass stopped and extrapolates classes to DBSIZE", async () => {
    const { redis, collector } = setup(500);
    const sampler = new KeyspaceSampler(collector);
    for (let i = 0; i < 4; i++) await pass(sampler);
    const cursors = redis.calls.filter((c) => c.startsWith("SCAN")).map((c) => c.split(" ")[1]);
    expect(new Set(cursors).size).toBe(cursors.length);
    const r = sampler.report(true);
    expect(r).toMatchObject({ state: "ok", master: "redis-a", dbsize: 500 });
    expect(r.sample.keys).toBe(120);
    const filler = r.classes.find((c) => c.keyClass === "filler")!;
    // 120 of 500 keys sampled: the estimate is near the true 250, not exact.
    expect(filler.estimatedKeys).toBeGreaterThan(180);
    expect(filler.estimatedKeys).toBeLessThan(320);
    expect(filler.meanBytes).toBe(80_000);
    expect(sampler.report(false).classes.every((c) => c.exampleKeys === undefined)).toBe(true);
  });

  it("attributes evictions to the class whose sampled keys vanished before their TTL", async () => {
    const { keys, collector, evict } = setup(60);
    const sampler = new KeyspaceSampler(collector);
    await pass(sampler);
    await pass(sampler); // everything sampled and re-checked once: nothing vanished, nothing evicted
    for (const k of [...keys.keys()].filter((k) => k.startsWith("chaos:filler:")).slice(0, 10)) keys.delete(k);
    evict(10);
    await pass(sampler);
    const r = sampler.report(false);
    expect(r.evictions).toMatchObject({ observed: 10, attributed: 10, pending: 0 });
    expect(r.classes.find((c) => c.keyClass === "filler")!.evictions).toBe(10);
  });

  it("says so when no master answers instead of sampling a replica", async () => {
    const collector = {
      settings: { timeouts: { redisMs: 500 } },
      snapshot: () => ({ seq: 3, redis: { nodes: [{ id: "redis-b", up: true, role: "replica" }] } }),
      nodeClients: () => [],
    } as unknown as Collector;
    const sampler = new KeyspaceSampler(collector);
    await pass(sampler);
    expect(sampler.report(false)).toMatchObject({ state: "no-master" });
  });
});
