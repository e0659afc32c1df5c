import { describe, expect, it } from "vitest";
import { parseClusterNodes } from "../contract/cluster-info";
import { disagreementsOf } from "./disagreements";
import { keyPlacement } from "./key-placement";
import { shardOfSlot, shardsOf, topologyNodes } from "./topology";
import type { ClusterNodeView } from "../snapshot/cluster-types";

// CLUSTER NODES from node-2 while node-1 (7100) is failed and its replica node-4 (7103) was promoted.
const NODES = [
  "aaaa 127.0.0.1:7100@7120 master,fail - 0 1 1 disconnected",
  "bbbb 127.0.0.1:7101@7121 myself,master - 0 0 2 connected 5461-10922",
  "cccc 127.0.0.1:7102@7122 master - 0 0 3 connected 10923-16383",
  "dddd 127.0.0.1:7103@7123 master - 0 0 7 connected 0-5460",
  "eeee 127.0.0.1:7104@7124 slave bbbb 0 0 2 connected",
  "ffff 127.0.0.1:7105@7125 slave cccc 0 0 3 connected",
].join("\n");

const names: Record<string, string> = {
  "127.0.0.1:7100": "node-1",
  "127.0.0.1:7101": "node-2",
  "127.0.0.1:7102": "node-3",
  "127.0.0.1:7103": "node-4",
  "127.0.0.1:7104": "node-5",
  "127.0.0.1:7105": "node-6",
};

describe("cluster topology", () => {
  const nodes = topologyNodes(parseClusterNodes(NODES));
  const shards = shardsOf(nodes, (a) => names[a]);

  it("names shards by lowest slot, so a promotion keeps the name", () => {
    expect(shards.map((s) => [s.name, s.master?.id, s.slotCount])).toEqual([
      ["shard-1", "node-4", 5461],
      ["shard-2", "node-2", 5462],
      ["shard-3", "node-3", 5461],
    ]);
    // The failed old master serves no slot and has no replicas following it: it is in no shard.
    expect(shards[0].replicas).toEqual([]);
    expect(shards[1].replicas.map((r) => r.id)).toEqual(["node-5"]);
    expect(nodes.find((n) => n.port === 7100)?.failing).toBe("fail");
  });

  it("finds a slot's shard", () => {
    expect(shardOfSlot(shards, 0)).toBe("shard-1");
    expect(shardOfSlot(shards, 16383)).toBe("shard-3");
    expect(shardOfSlot([], 5)).toBeNull();
  });

  it("places tenant-tagged key classes on the tenant's shard and the rest on every shard", () => {
    const p = keyPlacement(shards, "console-probe");
    const rl = p.find((k) => k.prefix === "l1:rl:")!;
    expect(rl.spread).toBe(false);
    expect(rl.shard).toBe(shardOfSlot(shards, rl.slot!));
    expect(p.find((k) => k.prefix === "l3:session:")?.spread).toBe(true);
  });
});

describe("disagreements", () => {
  const view = (id: string, state: "ok" | "fail", epoch: number, known = 6): ClusterNodeView => ({
    id,
    addr: id,
    up: true,
    clusterId: null,
    role: "master",
    state,
    slotsAssigned: 16384,
    slotsOk: 16384,
    slotsPfail: 0,
    slotsFail: 0,
    knownNodes: known,
    size: 3,
    currentEpoch: epoch,
    myEpoch: 1,
  });

  it("names the node that sees another state, fewer nodes or an older epoch", () => {
    const d = disagreementsOf([view("a", "ok", 7), view("b", "ok", 7), view("c", "fail", 6, 5)]);
    expect([...d.keys()]).toEqual(["c"]);
    expect(d.get("c")).toBe("c says cluster_state:fail while the others say ok; knows 5 nodes, the others 6; is at epoch 6, the others at 7");
  });

  it("says nothing when they agree, or when fewer than two answer", () => {
    expect(disagreementsOf([view("a", "ok", 7), view("b", "ok", 7)]).size).toBe(0);
    expect(disagreementsOf([view("a", "fail", 1)]).size).toBe(0);
  });
});
