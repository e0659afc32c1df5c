import { describe, expect, it } from "vitest";
import { hashSlot } from "../../contract/cluster-keys";
import { makeCheck } from "../verdict";
import { shardsOf, shardOfSlot, firstClusterFail, flaggedAs, viewsAgree, type ClusterLook, type NodeLook } from "./shard-map";
import { affectedCheck, inSeconds, othersCheck, recoveredAt, relativeTo, tallyOutcomes, type ClusterEvents } from "./shard-verdict";
import { sessionsByShard, targetShard, tenantsByShard, PROBE_TENANT } from "./shard-tenants";
import { classify } from "./tenant-outcome";
import type { TenantSample } from "./tenant-traffic";

/** A CLUSTER NODES line as redis-server 7.0 prints it. */
const line = (id: string, port: number, flags: string, master: string, slots = "") =>
  `${id} 127.0.0.1:${port}@${port + 20} ${flags} ${master} 0 1700000000000 1 connected${slots ? ` ${slots}` : ""}`;

function nodeLook(name: string, port: number, state: string, lines: string[], meId: string): NodeLook {
  const view = lines.map((l) => {
    const [id, addr, flags, master, , , epoch, link, ...slots] = l.split(" ");
    const mine = id === meId;
    const f = (mine ? `myself,${flags}` : flags).split(",");
    return {
      id,
      host: "127.0.0.1",
      port: Number(addr.split(":")[1].split("@")[0]),
      busPort: 0,
      flags: f,
      role: f.includes("master") ? ("master" as const) : ("replica" as const),
      masterId: master === "-" ? null : master,
      myself: mine,
      failing: f.includes("fail") ? ("fail" as const) : f.includes("fail?") ? ("pfail" as const) : null,
      linkState: link,
      configEpoch: Number(epoch),
      slots: slots.map((s): [number, number] => {
        const [a, b] = s.split("-").map(Number);
        return [a, b ?? a];
      }),
    };
  });
  return { name, port, answering: true, error: null, state, currentEpoch: 6, myself: view.find((e) => e.myself) ?? null, view };
}

const ids = ["a1", "b2", "c3", "d4", "e5", "f6"];
// node-1..3 masters (node-2 holds slot 0 here, so naming by lowest slot is tested), node-4..6 replicas.
const lines = (node2Flags = "master") => [
  line("a1", 7100, "master", "-", "5461-10922"),
  line("b2", 7101, node2Flags, "-", "0-5460"),
  line("c3", 7102, "master", "-", "10923-16383"),
  line("d4", 7103, "slave", "a1"),
  line("e5", 7104, "slave", "b2"),
  line("f6", 7105, "slave", "c3"),
];
const look = (at: number, state = "ok", node2Flags = "master"): ClusterLook => ({
  at,
  nodes: ids.map((id, i) => nodeLook(`node-${i + 1}`, 7100 + i, state, lines(node2Flags), id)),
});

describe("the cluster as the run reads it", () => {
  it("names shards by lowest slot, with their master and replicas by sandbox name", () => {
    const shards = shardsOf(look(0));
    expect(shards.map((s) => [s.name, s.master, s.replicas])).toEqual([
      ["shard-1", "node-2", ["node-5"]],
      ["shard-2", "node-1", ["node-4"]],
      ["shard-3", "node-3", ["node-6"]],
    ]);
    expect(shardOfSlot(shards, 0)?.name).toBe("shard-1");
    expect(shardOfSlot(shards, 16383)?.name).toBe("shard-3");
  });

  it("sees a node flagged FAIL and the first look with cluster_state fail", () => {
    expect(flaggedAs(look(0, "ok", "master,fail?"), "node-2")).toBe("pfail");
    expect(flaggedAs(look(0, "ok", "master,fail"), "node-2")).toBe("fail");
    expect(flaggedAs(look(0), "node-2")).toBeNull();
    expect(firstClusterFail([look(100), look(200, "fail"), look(300, "fail")], 150)).toEqual({ at: 200, node: "node-1" });
    expect(firstClusterFail([look(100, "fail")], 150)).toBeNull();
  });

  it("waits for agreement: a node that still sees a demoted master as master, or another epoch, is a disagreement", () => {
    expect(viewsAgree(look(0))).toEqual([]);
    const stale = look(0);
    stale.nodes[2] = nodeLook(
      "node-3",
      7102,
      "ok",
      lines().map((l) => (l.startsWith("e5 ") ? line("e5", 7104, "master", "-") : l)),
      "c3",
    );
    expect(viewsAgree(stale)).toEqual(["node-3 sees node-5 as master, it says replica"]);
    stale.nodes[0] = { ...stale.nodes[0], currentEpoch: 7 };
    expect(viewsAgree(stale)[0]).toBe("the nodes know different current epochs (7, 6)");
  });

  it("picks tenants on every shard by hash slot, and the probe tenant's shard by default", () => {
    const shards = shardsOf(look(0));
    const tenants = tenantsByShard(shards, "20261201-outage-abc123", 2);
    for (const s of shards) {
      expect(tenants[s.name]).toHaveLength(2);
      for (const t of tenants[s.name]) expect(shardOfSlot(shards, hashSlot(t))?.name).toBe(s.name);
    }
    expect(targetShard(shards, "probe")?.name).toBe(shardOfSlot(shards, hashSlot(PROBE_TENANT))?.name);
    expect(targetShard(shards, "shard-3")?.master).toBe("node-3");
    const grouped = sessionsByShard(shards, ["0d1e2f30-aaaa-4bbb-8ccc-000000000001", "0d1e2f30-aaaa-4bbb-8ccc-000000000002"]);
    expect(Object.values(grouped).flat()).toHaveLength(2);
  });
});

describe("a tenant's call, read the contract's way", () => {
  it("tells served, the contract's behaviour, a lost session and anything else apart", () => {
    expect(classify("L1", { status: 200, rateLimit: "ok" }).kind).toBe("normal");
    expect(classify("L1", { status: 200, rateLimit: "degraded" })).toEqual({ kind: "contract", text: "200 degraded" });
    expect(classify("L1", { status: 500 }).kind).toBe("other");
    expect(classify("L2", { status: 200, budget: "skipped" }).kind).toBe("contract");
    expect(classify("L2", { status: 200, budget: "enforced" }).kind).toBe("normal");
    expect(classify("L3", { status: 503 }).kind).toBe("contract");
    expect(classify("L3", { status: 404 }).kind).toBe("lost");
    expect(classify("CP", { status: 503 }).kind).toBe("contract");
    expect(classify("CP", { status: null, error: "timeout" })).toEqual({ kind: "other", text: "timeout" });
  });
});

const sample = (at: number, layer: TenantSample["layer"], shard: string, subject: string, kind: TenantSample["kind"], text: string): TenantSample => ({
  at,
  layer,
  shard,
  subject,
  kind,
  text,
});

describe("per-shard verdicts", () => {
  const events: ClusterEvents = { faultAt: 1000, clusterFailAt: 7100, clusterFailNode: "node-3", fullCoverage: true };

  it("holds the shard's tenants to the contract, by the share of their calls", () => {
    const calls = [
      ...Array.from({ length: 9 }, (_, i) => sample(2000 + i * 500, "L1", "shard-2", "t-a", "contract", "200 degraded")),
      sample(6600, "L1", "shard-2", "t-a", "other", "timeout"),
    ];
    const c = makeCheck(affectedCheck("L1", "shard-2", ["t-a", "t-b"], calls));
    expect(c).toMatchObject({ verdict: "held", claim: "outage-contract", layer: "L1", shard: "shard-2" });
    expect(c.expect).toBe("tenants on shard-2 (t-a, t-b): L1 fails open (200 + X-RateLimit-Status: degraded)");
    expect(c.observed).toBe("calls: 200 degraded 9/10, timeout 1/10");
    const breach = makeCheck(affectedCheck("L1", "shard-2", ["t-a"], [sample(2000, "L1", "shard-2", "t-a", "other", "500")]));
    expect(breach.verdict).toBe("refuted");
    expect(makeCheck(affectedCheck("L3", "shard-2", ["x"], [])).verdict).toBe("not-exercised");
  });

  it("refutes isolation when the other shards' tenants fail too, and says cluster_state went fail with full coverage required", () => {
    const calls = [
      sample(2000, "L3", "shard-1", "s1", "normal", "200"),
      sample(2500, "L3", "shard-3", "s3", "normal", "200"),
      sample(7500, "L3", "shard-1", "s1", "contract", "503"),
      sample(8000, "L3", "shard-3", "s3", "contract", "503"),
    ];
    const c = makeCheck(othersCheck("L3", { "shard-1": ["s1"], "shard-3": ["s3"] }, calls, events));
    expect(c).toMatchObject({ verdict: "refuted", claim: "shard-isolation", shard: "other shards" });
    expect(c.observed).toContain("2/4 calls served normally; from 6.5 s after the fault 2 were not (503 2/2, first on shard-1)");
    expect(c.observed).toContain("cluster_state went fail 6.1 s after the fault (node-3 first): cluster-require-full-coverage is yes");
  });

  it("holds isolation only when every call on the other shards was served", () => {
    const calls = [sample(2000, "CP", "shard-1", "t-a", "normal", "200"), sample(2500, "CP", "shard-3", "t-c", "normal", "200")];
    const c = makeCheck(othersCheck("CP", { "shard-1": ["t-a"], "shard-3": ["t-c"] }, calls, { ...events, clusterFailAt: null }));
    expect(c.verdict).toBe("held");
    expect(c.observed).toBe("every call served normally (200 2/2); cluster_state stayed ok on every answering node");
    expect(makeCheck(othersCheck("CP", { "shard-1": ["t-a"] }, [], events)).verdict).toBe("not-exercised");
    // Served through a short cluster-wide fail: said, not hidden.
    const through = makeCheck(othersCheck("CP", { "shard-1": ["t-a"], "shard-3": ["t-c"] }, calls, { ...events, clusterOkAt: 8000 }));
    expect(through.verdict).toBe("held");
    expect(through.observed).toContain("cluster_state was fail from 6.1 s to 7.0 s after the fault (node-3 first), and none of these calls failed");
  });

  it("says when an L2 failure on another shard came from its prompt's cache entry living on the shard that is down", () => {
    expect(classify("L2", { status: 200, budget: "skipped", cache: "bypass" })).toEqual({ kind: "contract", text: "200 budget skipped, cache bypassed" });
    const calls = [
      sample(2000, "L2", "shard-1", "t-a", "normal", "200 budget enforced"),
      sample(2500, "L2", "shard-3", "t-c", "contract", "200 budget skipped, cache bypassed"),
    ];
    const c = makeCheck(othersCheck("L2", { "shard-1": ["t-a"], "shard-3": ["t-c"] }, calls, { ...events, clusterFailAt: null }));
    expect(c.verdict).toBe("refuted");
    expect(c.observed).toContain("a completion also reads its prompt's cache entry, on the shard the prompt hashes to");
    expect(c.observed).toContain("cluster_state stayed ok on every answering node");
  });

  it("writes the run's own timings to 10 ms, before or after a reference", () => {
    expect(inSeconds(7712)).toBe("7.71 s");
    expect(relativeTo(7000, 7710, "cluster_state ok")).toBe("0.71 s before cluster_state ok");
    expect(relativeTo(7990, 7710, "cluster_state ok")).toBe("0.28 s after cluster_state ok");
  });

  it("times recovery from the first call after which every call was served", () => {
    const calls = [
      sample(1000, "L1", "s", "t", "normal", "200 ok"),
      sample(1500, "L1", "s", "t", "contract", "200 degraded"),
      sample(2000, "L1", "s", "t", "normal", "200 ok"),
      sample(2500, "L1", "s", "t", "other", "timeout"),
      sample(3000, "L1", "s", "t", "normal", "200 ok"),
      sample(3500, "L1", "s", "t", "normal", "200 ok"),
    ];
    expect(recoveredAt(calls)).toBe(3000);
    expect(recoveredAt(calls.slice(0, 4))).toBeNull();
    expect(recoveredAt([sample(1000, "L3", "s", "x", "lost", "404 session gone")])).toBe(1000);
    expect(tallyOutcomes(calls)).toBe("200 ok 4/6, 200 degraded 1/6, timeout 1/6");
  });
});
