import { describe, expect, it } from "vitest";
import type { ClusterShard, ClusterSnapshot } from "../../snapshot/cluster-types";
import type { Snapshot } from "../../snapshot/types";
import { makeCheck } from "../verdict";
import { clusterSteadyProblems } from "./cluster-steady";
import { judgeIntegrity, lossWindowMs, RPO_NOT_EXERCISED, type IntegrityFacts } from "./integrity-verdict";
import { judgeShardPressure, type ShardPressure } from "./pressure-verdict";
import type { ShardReadBack, WriteRecord } from "./sharded-writer";

const shardNode = (id: string, role: "master" | "replica", health = "online") => ({ id, clusterId: id, addr: id, role, health, replicationOffset: 0 });
const shard = (name: string, master: string, replica: string): ClusterShard => ({
  name,
  slots: [],
  slotCount: 0,
  master: shardNode(master, "master"),
  replicas: [shardNode(replica, "replica")],
  usedMemory: null,
  maxmemory: null,
  evictedKeys: null,
  keys: null,
});

function snap(cluster: Partial<ClusterSnapshot> | undefined, opts: { down?: string[]; unlinked?: string[]; layers?: Record<string, string> } = {}): Snapshot {
  const ids = ["node-1", "node-2", "node-3", "node-4", "node-5", "node-6"];
  return {
    redis: { nodes: ids.map((id) => ({ id, up: !opts.down?.includes(id), masterLinkUp: opts.unlinked?.includes(id) ? false : true })) },
    layers: Object.entries(opts.layers ?? { L1: "ok", L2: "ok", L3: "ok", CP: "ok" }).map(([id, status]) => ({ id, status, summary: status })),
    cluster: cluster && {
      state: "ok",
      slotsAssigned: 16384,
      slotsOk: 16384,
      slotsPfail: 0,
      slotsFail: 0,
      shards: [shard("shard-1", "node-1", "node-4"), shard("shard-2", "node-2", "node-5"), shard("shard-3", "node-3", "node-6")],
      nodes: ids.map((id) => ({ id, up: true, state: "ok" })),
      disagreements: [],
      failovers: [],
      failoverInProgress: null,
      ...cluster,
    },
  } as unknown as Snapshot;
}

describe("cluster steady state", () => {
  it("is steady with cluster_state ok, three shards each with a replica in sync, every layer ok", () => {
    expect(clusterSteadyProblems(snap({}))).toEqual([]);
  });
  it("names what keeps it from steady state", () => {
    expect(clusterSteadyProblems(snap(undefined))).toEqual(["the console does not watch the cluster yet (the snapshot has no cluster part)"]);
    const problems = clusterSteadyProblems(
      snap(
        {
          state: "fail",
          slotsOk: 10923,
          slotsFail: 5461,
          failoverInProgress: { shard: "shard-2", since: "x" },
          disagreements: ["node-3 sees 5 nodes, the others 6"],
        },
        { down: ["node-2"], unlinked: ["node-6"], layers: { L1: "degraded", L2: "ok", L3: "ok", CP: "ok" } },
      ),
    );
    expect(problems).toEqual([
      "cluster_state is fail",
      "10923 of 16384 slots ok (pfail 0, fail 5461)",
      "node-2 is down (no answer)",
      "shard-3 has no replica in sync (node-6 online)",
      "node-3 sees 5 nodes, the others 6",
      "a failover is in progress on shard-2",
      "L1 is degraded: degraded",
    ]);
    expect(clusterSteadyProblems(snap({ shards: [shard("shard-1", "node-1", "node-4")] }))).toContain("expected 3 shards, found 1");
  });
});

const write = (shard: string, seq: number, ackAt: number | null): WriteRecord => ({ shard, seq, key: `k${seq}`, sentAt: (ackAt ?? 0) - 1, ackAt });
const readBack = (acknowledged: number, lost: WriteRecord[] = [], error: string | null = null): ShardReadBack => ({ acknowledged, refused: 3, lost, error });

describe("lost acknowledged writes per shard", () => {
  const base: IntegrityFacts = {
    shard: "shard-2",
    master: "node-2",
    replica: "node-5",
    mode: "kill",
    faultAt: 10_000,
    ackedBeforeFault: 150,
    readBack: { "shard-1": readBack(400), "shard-2": readBack(300, [write("shard-2", 140, 9_970), write("shard-2", 141, 9_990)]), "shard-3": readBack(400) },
  };

  it("holds a kill's loss on the shard against 1 s, says the RPO claim was not exercised, and holds the other shards to none", () => {
    const [loss, rpo, others] = judgeIntegrity(base).map(makeCheck);
    expect(lossWindowMs(base.readBack["shard-2"])).toBe(20);
    expect(loss).toMatchObject({ verdict: "held", shard: "shard-2" });
    expect(loss.observed).toBe("2 of 300 acknowledged writes lost, acknowledged over 20 ms (the last 10 ms before the fault); 3 refused");
    expect(rpo).toMatchObject({ claim: "rpo-1s", verdict: "not-exercised", reason: RPO_NOT_EXERCISED });
    expect(others).toMatchObject({ claim: "shard-isolation", verdict: "held", shard: "other shards" });
  });

  it("refutes a manual failover that lost a write, and the other shards when they lost any", () => {
    const checks = judgeIntegrity({ ...base, mode: "manual", readBack: { ...base.readBack, "shard-3": readBack(400, [write("shard-3", 7, 9_000)]) } }).map(
      makeCheck,
    );
    expect(checks[0]).toMatchObject({ claim: "cluster-failover", verdict: "refuted" });
    expect(checks[2]).toMatchObject({ verdict: "refuted" });
    expect(checks[2].observed).toContain("shard-3: 1 of 400 acknowledged writes lost");
  });

  it("does not judge what it could not see: nothing acknowledged before the fault, or no read-back", () => {
    expect(makeCheck(judgeIntegrity({ ...base, ackedBeforeFault: 0 })[0]).verdict).toBe("not-exercised");
    const failed = judgeIntegrity({ ...base, readBack: { ...base.readBack, "shard-1": readBack(10, [], "CLUSTERDOWN") } }).map(makeCheck);
    expect(failed[2]).toMatchObject({ verdict: "not-exercised", reason: "the read-back did not complete on shard-1" });
  });
});

describe("memory pressure on one shard", () => {
  const pressure: ShardPressure = {
    master: "node-2",
    shard: "shard-2",
    atCeiling: true,
    targetPercent: 100,
    fills: 3,
    evicted: 120,
    goal: 100,
    percent: 99,
    reachedTarget: true,
    gone: { "l2:cache:": 80, "l3:session:": 12, "l1:rl:": 0 },
    otherEvictions: { "shard-1 (node-1)": 0, "shard-3 (node-3)": 0 },
  };
  const fates = { "shard-1": ["present", "present"], "shard-2": ["present", "lost", "lost"], "shard-3": ["present"] };

  it("says which key classes lost keys there, refutes 'sessions preserved' and holds the other shards untouched", () => {
    const [premise, sessions, isolation] = judgeShardPressure(pressure, fates).map(makeCheck);
    expect(premise).toMatchObject({ verdict: "held" });
    expect(premise.observed).toBe("99% of maxmemory after 3 fill(s); 120 keys evicted there; gone per class: l2:cache: 80, l3:session: 12");
    expect(sessions).toMatchObject({ claim: "sessions-preserved", verdict: "refuted", shard: "shard-2" });
    expect(sessions.observed).toContain("2 of 3 lost among 120 evictions");
    expect(isolation).toMatchObject({ claim: "shard-isolation", verdict: "held" });
  });

  it("refutes isolation when another master evicted, and judges nothing without pressure", () => {
    expect(makeCheck(judgeShardPressure({ ...pressure, otherEvictions: { "shard-1 (node-1)": 4 } }, fates)[2]).verdict).toBe("refuted");
    const none = judgeShardPressure({ ...pressure, evicted: 0 }, fates).map(makeCheck);
    expect(none.map((c) => c.verdict)).toEqual(["not-exercised", "not-exercised", "not-exercised"]);
  });
});
