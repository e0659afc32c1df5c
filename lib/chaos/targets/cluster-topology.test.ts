import { describe, expect, it } from "vitest";
import { parseClusterNodes } from "../../contract/cluster-info";
import { hashSlot } from "../../contract/cluster-keys";
import { fillerPattern, lockKey, markerKey, shardsFromView, tagForSlot } from "./cluster-topology";
import { CLUSTER_DEV_PARAMS } from "./cluster-params";

const NODES = [
  "a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460",
  "b1 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922",
  "c1 127.0.0.1:7003@17003 master - 0 0 3 connected 10923-16383",
  "a2 127.0.0.1:7004@17004 slave a1 0 0 1 connected",
  "c2 127.0.0.1:7006@17006 slave c1 0 0 3 connected",
  "x9 127.0.0.1:7009@17009 master,fail - 0 0 0 disconnected",
].join("\n");

describe("a Redis Cluster dev stack's shards and keys", () => {
  it("names shards by lowest slot, each with its master, replicas and a tag hashing into its lowest slot", () => {
    const topo = shardsFromView(parseClusterNodes(NODES));
    expect(topo.shards.map((s) => [s.name, s.master.port, s.replicas.map((r) => r.port)])).toEqual([
      ["shard-1", 7001, [7004]],
      ["shard-2", 7002, []],
      ["shard-3", 7003, [7006]],
    ]);
    // A failed node is neither a shard's master nor a node to ask.
    expect(topo.nodes.map((n) => n.port)).not.toContain(7009);
    for (const s of topo.shards) {
      const lowest = s.slots[0][0];
      expect(hashSlot(markerKey(s.tag))).toBe(lowest);
      expect(hashSlot(lockKey(s.tag))).toBe(lowest);
      expect(hashSlot(fillerPattern(s.tag, "run-1").replace(/\*$/, "17"))).toBe(lowest);
    }
  });

  it("finds a tag for every slot, and the same one each time", () => {
    for (const slot of [0, 1, 5461, 10923, 16383]) {
      const tag = tagForSlot(slot);
      expect(hashSlot(`{${tag}}`)).toBe(slot);
      expect(tagForSlot(slot)).toBe(tag);
    }
  });

  it("takes a shard name per scenario and refuses anything else with what it expects", () => {
    expect(CLUSTER_DEV_PARAMS.outage.parse({})).toEqual({ shard: "shard-1", durationSeconds: 10 });
    const bad = CLUSTER_DEV_PARAMS.failover.safeParse({ shard: "node-4" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].message).toMatch(/shard name as the Cluster page shows it: "shard-1" to "shard-16"/);
    expect(CLUSTER_DEV_PARAMS.outage.safeParse({ shard: "shard-2", mode: "kill" }).success).toBe(false);
  });
});
