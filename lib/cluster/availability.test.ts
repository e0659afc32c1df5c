import { describe, expect, it } from "vitest";
import type { ClusterNodeView, ClusterSnapshot } from "../snapshot/cluster-types";
import { clusterAvailability, clusterUpForLayers } from "./availability";

const view = (id: string, up: boolean, state: "ok" | "fail" | null): ClusterNodeView => ({
  id,
  addr: id,
  up,
  clusterId: id,
  role: "master",
  state,
  slotsAssigned: 16384,
  slotsOk: 16384,
  slotsPfail: 0,
  slotsFail: 0,
  knownNodes: 3,
  size: 3,
  currentEpoch: 1,
  myEpoch: null,
});
const shard = (name: string, master: string, health = "online") => ({
  name,
  slots: [[0, 1]] as [number, number][],
  slotCount: 2,
  master: { id: master, clusterId: master, addr: master, role: "master" as const, health, replicationOffset: null },
  replicas: [],
  usedMemory: null,
  maxmemory: null,
  evictedKeys: null,
  keys: null,
});
const cluster = (nodes: ClusterNodeView[], shards: ReturnType<typeof shard>[], state: "ok" | "fail" | null = "ok", slotsOk = 16384): ClusterSnapshot => ({
  state,
  topologyFrom: "a",
  slotsAssigned: 16384,
  slotsOk,
  slotsPfail: 16384 - slotsOk,
  slotsFail: 0,
  knownNodes: 3,
  size: 3,
  shards,
  nodes,
  disagreements: [],
  failovers: [],
  failoverInProgress: null,
  keyPlacement: [],
});

describe("Redis on a cluster for the layers", () => {
  it("is up when every slot is served by a master that answers", () => {
    const c = cluster([view("a", true, "ok"), view("b", true, "ok")], [shard("shard-1", "a"), shard("shard-2", "b")]);
    expect(clusterUpForLayers(c)).toBe(true);
    expect(clusterAvailability(c, true)).toBe("cluster_state:ok, all 16384 slots served by 2 shards");
  });

  it("is neither while one shard's master is down and the others serve", () => {
    const c = cluster([view("a", false, null), view("b", true, "ok")], [shard("shard-1", "a", "disconnected"), shard("shard-2", "b")], "ok", 8192);
    expect(clusterUpForLayers(c)).toBeNull();
    expect(clusterAvailability(c, null)).toMatch(/^shard-1 not served \(cluster_state:ok, 8192 of 16384 slots ok\)/);
  });

  it("is down when every answering node says cluster_state:fail, or none answers", () => {
    const c = cluster([view("a", false, null), view("b", true, "fail")], [shard("shard-1", "a", "failed"), shard("shard-2", "b")], "fail");
    expect(clusterUpForLayers(c)).toBe(false);
    expect(clusterAvailability(c, false)).toMatch(/^cluster_state:fail on every node that answers/);
    expect(clusterUpForLayers(cluster([view("a", false, null)], [shard("shard-1", "a")], null))).toBe(false);
  });
});
