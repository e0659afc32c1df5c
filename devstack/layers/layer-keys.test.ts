import { describe, expect, it } from "vitest";
import { hashSlot } from "../../lib/contract/cluster-keys";
import { FAILURE_CONTRACT, LAYER_IDS } from "../../lib/contract/failure-contract";
import { clusterKeys, keyClassTag, sentinelKeys } from "./layer-keys";

describe("the layers' key names", () => {
  it("stay as they were on the Sentinel sandbox", () => {
    expect(sentinelKeys("l1:rl:", "t-1", { tenant: "t-1" })).toBe("l1:rl:t-1");
    expect(sentinelKeys("l2:cache:", "abc", { prompt: "def" })).toBe("l2:cache:abc");
    expect(sentinelKeys("cp:tenant:", "t-1", { tenant: "t-1" })).toBe("cp:tenant:t-1");
  });

  it("carry the tag of their class on a cluster", () => {
    expect(clusterKeys("l1:rl:", "t-1", { tenant: "t-1" })).toBe("l1:rl:{t-1}");
    expect(clusterKeys("l1:tenant:", "t-1", { tenant: "t-1" })).toBe("l1:tenant:{t-1}");
    expect(clusterKeys("l2:cache:", "exact", { prompt: "sem" })).toBe("l2:cache:{sem}:exact");
    expect(clusterKeys("l2:semantic:", "sem", { prompt: "sem" })).toBe("l2:semantic:{sem}");
    expect(clusterKeys("l3:session:", "s-1", { session: "s-1" })).toBe("l3:session:{s-1}");
    expect(clusterKeys("cp:settings:", "t-1", { tenant: "t-1" })).toBe("cp:settings:{t-1}");
  });

  it("put the keys one operation touches together on one slot", () => {
    const groups = [
      [clusterKeys("l1:rl:", "t-9", { tenant: "t-9" }), clusterKeys("l1:tenant:", "t-9", { tenant: "t-9" })],
      [clusterKeys("l2:cache:", "x", { prompt: "p" }), clusterKeys("l2:semantic:", "p", { prompt: "p" })],
      [clusterKeys("l3:session:", "s", { session: "s" }), clusterKeys("l3:a2a:", "s", { session: "s" })],
    ];
    for (const keys of groups) expect(new Set(keys.map(hashSlot)).size).toBe(1);
    // A tenant's keys sit on the slot of its id, as the console and the chaos runs compute it.
    expect(hashSlot(clusterKeys("l1:rl:", "t-9", { tenant: "t-9" }))).toBe(hashSlot("t-9"));
  });

  it("choose a tag for every key prefix of the contract; the HITL queue by tenant (the stand-in's queue is per tenant)", () => {
    for (const id of LAYER_IDS) for (const prefix of FAILURE_CONTRACT[id].keyPrefixes) expect(keyClassTag(prefix)).not.toBe("none");
    expect(keyClassTag("cp:webhooks:")).toBe("tenant");
    expect(keyClassTag("l3:hitl:")).toBe("tenant");
    expect(clusterKeys("l3:hitl:", "t-1", { tenant: "t-1" })).toBe("l3:hitl:{t-1}");
  });

  it("refuses a key whose class needs an id it was not given", () => {
    expect(() => clusterKeys("l3:session:", "s-1", { tenant: "t-1" })).toThrow(/tagged by session/);
  });
});
