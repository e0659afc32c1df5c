import { describe, expect, it } from "vitest";
import { FailoverFollower } from "./failover-follow";

const shard = (name: string, master: string) => ({
  name,
  master: { id: master, clusterId: master, addr: master, role: "master" as const, health: "online", replicationOffset: null },
});

describe("FailoverFollower", () => {
  it("times an automatic failover from the first failure seen to cluster_state ok", () => {
    const f = new FailoverFollower();
    expect(f.observe({ now: 0, shards: [shard("shard-1", "node-1")], failing: new Set(), clusterOk: true })).toEqual([]);
    f.observe({ now: 1000, shards: [shard("shard-1", "node-1")], failing: new Set(["node-1"]), clusterOk: false });
    expect(f.inProgress([shard("shard-1", "node-1")])).toEqual({ shard: "shard-1", since: new Date(1000).toISOString() });
    const promoted = f.observe({ now: 7000, shards: [shard("shard-1", "node-4")], failing: new Set(["node-1"]), clusterOk: false });
    expect(promoted[0].title).toContain("node-4 promoted in place of node-1");
    expect(f.failovers()[0]).toMatchObject({ shard: "shard-1", from: "node-1", to: "node-4", kind: "automatic", okAt: null, seconds: null });
    expect(f.inProgress([shard("shard-1", "node-4")])).toBeNull();
    const ok = f.observe({ now: 7500, shards: [shard("shard-1", "node-4")], failing: new Set(["node-1"]), clusterOk: true });
    expect(ok[0].title).toContain("6.5 s after the master failed");
    expect(f.failovers()[0]).toMatchObject({ seconds: 6.5, failedAt: new Date(1000).toISOString() });
  });

  it("calls a promotion with no failure seen first manual, timed from the promotion", () => {
    const f = new FailoverFollower();
    f.observe({ now: 0, shards: [shard("shard-2", "node-2")], failing: new Set(), clusterOk: true });
    f.observe({ now: 2000, shards: [shard("shard-2", "node-5")], failing: new Set(), clusterOk: true });
    expect(f.failovers()[0]).toMatchObject({ kind: "manual", failedAt: null, seconds: 0 });
  });

  it("keeps an open failover open while the cluster is not ok", () => {
    const f = new FailoverFollower();
    f.observe({ now: 0, shards: [shard("shard-1", "a")], failing: new Set(["a"]), clusterOk: false });
    f.observe({ now: 100, shards: [shard("shard-1", "b")], failing: new Set(["a"]), clusterOk: false });
    f.observe({ now: 200, shards: [shard("shard-1", "b")], failing: new Set(["a"]), clusterOk: false });
    expect(f.failovers()).toHaveLength(1);
    expect(f.failovers()[0].okAt).toBeNull();
  });
});
