import { describe, expect, it } from "vitest";
import { BoundedAnswerCache } from "./plan-cache";

const deferred = () => {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
};

describe("BoundedAnswerCache", () => {
  it("computes a key once for every caller within the TTL, again after it", async () => {
    let now = 0;
    let computed = 0;
    const cache = new BoundedAnswerCache<string>(10_000, 2, 64, () => now);
    const compute = async () => `plan ${++computed}`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get("outage:{}", compute)));
    expect(new Set(answers)).toEqual(new Set(["plan 1"]));
    now = 10_001;
    expect(await cache.get("outage:{}", compute)).toBe("plan 2");
  });

  it("refuses a new key while maxInFlight computations run, and accepts again once one ends", async () => {
    const cache = new BoundedAnswerCache<string>(10_000, 2);
    const a = deferred();
    const b = deferred();
    expect(cache.get("a", () => a.promise)).not.toBeNull();
    expect(cache.get("b", () => b.promise)).not.toBeNull();
    expect(cache.get("c", async () => "c")).toBeNull();
    // A key already in flight is shared, not refused.
    expect(cache.get("a", async () => "other")).not.toBeNull();
    a.resolve("a");
    await a.promise;
    await Promise.resolve();
    expect(await cache.get("c", async () => "c")).toBe("c");
  });

  it("does not remember a failure", async () => {
    const cache = new BoundedAnswerCache<string>(10_000, 1);
    await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get("k", async () => "up")).toBe("up");
  });

  it("keeps at most maxEntries keys", async () => {
    let computed = 0;
    const cache = new BoundedAnswerCache<number>(10_000, 100, 3);
    for (const k of ["a", "b", "c", "d"]) await cache.get(k, async () => ++computed);
    expect(await cache.get("a", async () => ++computed)).toBe(5);
    expect(await cache.get("d", async () => ++computed)).toBe(4);
  });
});
