import { describe, expect, it } from "vitest";
import { Thresholds } from "../config/schema";
import type { NodeSnapshot, SentinelSnapshot, SentinelView } from "../snapshot/types";
import { AlertWindow } from "./alert-window";
import { ALERT_WINDOW_SECONDS, evaluateAlerts, MIN_LOOKUPS_FOR_MISS_RATIO, type AlertInput, type NodeCounters } from "./rules";

const defaults = Thresholds.parse({});

function node(id: string, role: NodeSnapshot["role"], extra: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    id,
    addr: `127.0.0.1:${id}`,
    role,
    up: true,
    since: "2026-01-01T00:00:00.000Z",
    usedMemory: 10_000_000,
    maxmemory: 64 * 1024 * 1024,
    evictedKeys: 0,
    expiredKeys: 0,
    connectedClients: 10,
    keyspaceHits: 1000,
    keyspaceMisses: 100,
    totalCommands: 5000,
    opsPerSec: 50,
    latestForkUsec: 2000,
    fragmentationRatio: 1.2,
    keys: 100,
    masterAddr: role === "replica" ? "127.0.0.1:a" : null,
    masterLinkUp: role === "replica" ? true : null,
    replOffset: 0,
    aofLastWriteStatus: "ok",
    rdbLastBgsaveStatus: "ok",
    aofDelayedFsync: 0,
    uptimeSeconds: 100,
    ...extra,
  };
}
const sentinelView = (id: string, extra: Partial<SentinelView> = {}): SentinelView => ({
  id,
  addr: `127.0.0.1:${id}`,
  up: true,
  masterAddr: "127.0.0.1:a",
  flags: ["master"],
  configEpoch: 0,
  otherSentinels: 2,
  quorum: 2,
  quorumOk: true,
  quorumMessage: "OK 3 usable Sentinels",
  ...extra,
});
function sentinel(views: SentinelView[] = [sentinelView("s1"), sentinelView("s2"), sentinelView("s3")]): SentinelSnapshot {
  const reachable = views.filter((v) => v.up).length;
  return {
    masterName: "mymaster",
    master: { addr: "127.0.0.1:a", flags: ["master"], configEpoch: 0 },
    quorum: 2,
    sentinels: views,
    reachable,
    failoverInProgress: false,
    splitView: false,
    blind: reachable === 0 && views.length > 0,
    majority: Math.floor(views.length / 2) + 1,
  };
}
const counters = (n: NodeSnapshot, extra: Partial<NodeCounters> = {}): NodeCounters => ({
  at: 0,
  keyspaceHits: n.keyspaceHits,
  keyspaceMisses: n.keyspaceMisses,
  aofDelayedFsync: n.aofDelayedFsync,
  uptimeSeconds: n.uptimeSeconds,
  ...extra,
});

const healthy = () => [node("a", "master"), node("b", "replica")];
function input(nodes: NodeSnapshot[], extra: Partial<AlertInput> = {}): AlertInput {
  return { nodes, sentinel: sentinel(), windowStart: Object.fromEntries(nodes.map((n) => [n.id, counters(n)])), ...extra };
}
function rule(name: string, i: AlertInput, t = defaults) {
  const r = evaluateAlerts(i, t).find((a) => a.rule === name);
  if (!r) throw new Error(`no rule ${name}`);
  return r;
}

describe("a healthy sandbox", () => {
  it("fires nothing", () => {
    expect(evaluateAlerts(input(healthy()), defaults).filter((a) => a.firing)).toEqual([]);
  });
});

describe("redis_up", () => {
  it("fires when no master answers and resolves when one does", () => {
    const down = [node("a", "master", { up: false }), node("b", "replica")];
    expect(rule("redis_up", input(down))).toMatchObject({ firing: true, value: 0, severity: "page" });
    expect(rule("redis_up", input(healthy()))).toMatchObject({ firing: false, value: 1 });
  });
});

describe("redis_too_many_masters", () => {
  it("fires when two nodes answer role:master, naming both and the sentinels' choice", () => {
    const r = rule("redis_too_many_masters", input([node("a", "master"), node("b", "master")]));
    expect(r).toMatchObject({ firing: true, severity: "page", value: 2 });
    expect(r.summary).toBe("2 nodes answer role:master: a and b; the sentinels name a");
  });

  it("fires on a lone master the sentinels do not name (they name a watched replica)", () => {
    const s = { ...sentinel(), master: { addr: "127.0.0.1:b", flags: ["master"], configEpoch: 1 } };
    const r = rule("redis_too_many_masters", input(healthy(), { sentinel: s }));
    expect(r).toMatchObject({ firing: true, value: 1, summary: "a answers role:master; the sentinels name b" });
  });

  it("holds its fire while the sentinels fail over, and on a sentinel address that names no watched node", () => {
    const failing = { ...sentinel(), failoverInProgress: true };
    expect(rule("redis_too_many_masters", input([node("a", "master"), node("b", "master")], { sentinel: failing })).firing).toBe(false);
    const elsewhere = { ...sentinel(), master: { addr: "redis-0.redis:6379", flags: ["master"], configEpoch: 1 } };
    expect(rule("redis_too_many_masters", input(healthy(), { sentinel: elsewhere }))).toMatchObject({ firing: false, summary: "one master: a" });
    // The old master down and the promoted one named: one master.
    const promoted = { ...sentinel(), master: { addr: "127.0.0.1:b", flags: ["master"], configEpoch: 1 } };
    expect(rule("redis_too_many_masters", input([node("a", "master", { up: false }), node("b", "master")], { sentinel: promoted })).firing).toBe(false);
  });
});

describe("redis_connected_clients", () => {
  it("fires above the configured threshold on any node, resolves at or below it", () => {
    const busy = [node("a", "master"), node("b", "replica", { connectedClients: 501 })];
    expect(rule("redis_connected_clients", input(busy))).toMatchObject({ firing: true, value: 501 });
    expect(rule("redis_connected_clients", input([node("a", "master", { connectedClients: 500 })])).firing).toBe(false);
  });
  it("takes its threshold from config", () => {
    const i = input([node("a", "master", { connectedClients: 60 })]);
    expect(rule("redis_connected_clients", i).firing).toBe(false);
    expect(rule("redis_connected_clients", i, Thresholds.parse({ connectedClients: 50 })).firing).toBe(true);
  });
});

describe("redis_memory_used_ratio", () => {
  const max = 64 * 1024 * 1024;
  it("fires above 80 % of maxmemory and resolves below", () => {
    const full = [node("a", "master", { usedMemory: 0.9 * max }), node("b", "replica")];
    expect(rule("redis_memory_used_ratio", input(full))).toMatchObject({ firing: true });
    expect(rule("redis_memory_used_ratio", input(full)).value).toBeCloseTo(0.9);
    expect(rule("redis_memory_used_ratio", input(healthy())).firing).toBe(false);
  });
  it("watches replicas too (the exporter's series are per instance)", () => {
    expect(rule("redis_memory_used_ratio", input([node("a", "master"), node("b", "replica", { usedMemory: 0.85 * max })])).firing).toBe(true);
  });
  it("does not fire without maxmemory", () => {
    expect(rule("redis_memory_used_ratio", input([node("a", "master", { maxmemory: 0, usedMemory: 1e12 })]))).toMatchObject({ firing: false, value: null });
  });
  it("takes its threshold from config", () => {
    const i = input([node("a", "master", { usedMemory: 0.7 * max })]);
    expect(rule("redis_memory_used_ratio", i).firing).toBe(false);
    expect(rule("redis_memory_used_ratio", i, Thresholds.parse({ memoryUsedRatio: 0.6 })).firing).toBe(true);
  });
});

describe("redis_keyspace_miss_ratio", () => {
  const base = node("a", "master", { keyspaceHits: 1000, keyspaceMisses: 100 });
  const after = (hits: number, misses: number) => node("a", "master", { keyspaceHits: 1000 + hits, keyspaceMisses: 100 + misses });
  const withBase = (n: NodeSnapshot) => input([n], { windowStart: { a: counters(base) } });
  it("fires when most lookups in the window miss, resolves when they hit", () => {
    expect(rule("redis_keyspace_miss_ratio", withBase(after(10, 90)))).toMatchObject({ firing: true, value: 0.9 });
    expect(rule("redis_keyspace_miss_ratio", withBase(after(90, 10)))).toMatchObject({ firing: false, value: 0.1 });
  });
  it("ignores a handful of lookups (1 miss of 1 is not thrashing)", () => {
    expect(rule("redis_keyspace_miss_ratio", withBase(after(0, MIN_LOOKUPS_FOR_MISS_RATIO - 1)))).toMatchObject({ firing: false, value: null });
  });
  it("takes its threshold from config", () => {
    const i = withBase(after(60, 40));
    expect(rule("redis_keyspace_miss_ratio", i).firing).toBe(false);
    expect(rule("redis_keyspace_miss_ratio", i, Thresholds.parse({ missRatio: 0.3 })).firing).toBe(true);
  });
});

describe("redis_latest_fork_seconds", () => {
  it("fires above 1 s and resolves after a fast fork", () => {
    expect(rule("redis_latest_fork_seconds", input([node("a", "master", { latestForkUsec: 1_500_000 })]))).toMatchObject({ firing: true, value: 1.5 });
    expect(rule("redis_latest_fork_seconds", input([node("a", "master", { latestForkUsec: 3000 })])).firing).toBe(false);
  });
  it("takes its threshold from config", () => {
    const i = input([node("a", "master", { latestForkUsec: 300_000 })]);
    expect(rule("redis_latest_fork_seconds", i).firing).toBe(false);
    expect(rule("redis_latest_fork_seconds", i, Thresholds.parse({ forkSeconds: 0.2 })).firing).toBe(true);
  });
});

describe("redis_replication_link_down", () => {
  it("fires when the replica's link is down or the replica is gone, resolves when in sync", () => {
    expect(rule("redis_replication_link_down", input([node("a", "master"), node("b", "replica", { masterLinkUp: false })])).firing).toBe(true);
    expect(rule("redis_replication_link_down", input([node("a", "master"), node("b", "replica", { up: false })])).firing).toBe(true);
    expect(rule("redis_replication_link_down", input(healthy())).firing).toBe(false);
  });
  it("does not fire on a single-node deployment that never had a replica", () => {
    expect(rule("redis_replication_link_down", input([node("a", "master")])).firing).toBe(false);
  });
});

describe("sentinel_quorum", () => {
  it("fires when CKQUORUM fails or too few sentinels answer, resolves when quorum is back", () => {
    const noQuorum = sentinel([
      sentinelView("s1", { quorumOk: false, quorumMessage: "NOQUORUM 1 usable Sentinels" }),
      sentinelView("s2", { up: false }),
      sentinelView("s3", { up: false }),
    ]);
    expect(rule("sentinel_quorum", input(healthy(), { sentinel: noQuorum })).firing).toBe(true);
    expect(
      rule(
        "sentinel_quorum",
        input(healthy(), { sentinel: sentinel([sentinelView("s1", { up: false }), sentinelView("s2", { up: false }), sentinelView("s3", { up: false })]) }),
      ).firing,
    ).toBe(true);
    expect(rule("sentinel_quorum", input(healthy())).firing).toBe(false);
  });
  it("does not fire when no sentinel is configured", () => {
    expect(rule("sentinel_quorum", input(healthy(), { sentinel: sentinel([]) }))).toMatchObject({
      firing: false,
      notApplicable: "no Sentinel in this deployment (no automatic failover)",
    });
  });
});

describe("redis_persistence_failing", () => {
  it("fires on a failed AOF write or RDB save, resolves when both are ok", () => {
    expect(rule("redis_persistence_failing", input([node("a", "master", { aofLastWriteStatus: "err" })])).firing).toBe(true);
    expect(rule("redis_persistence_failing", input([node("a", "master", { rdbLastBgsaveStatus: "err" })])).firing).toBe(true);
    expect(rule("redis_persistence_failing", input(healthy())).firing).toBe(false);
  });
});

describe("redis_aof_delayed_fsync", () => {
  it("fires while delayed fsyncs rose within the window, resolves once the window holds none", () => {
    const w = new AlertWindow();
    const s = sentinel();
    const at = (sec: number, delayed: number) =>
      w
        .evaluate(sec * 1000, [node("a", "master", { aofDelayedFsync: delayed, uptimeSeconds: 100 + sec })], s, defaults)
        .find((a) => a.rule === "redis_aof_delayed_fsync")!;
    expect(at(0, 0).firing).toBe(false);
    expect(at(1, 3)).toMatchObject({ firing: true, value: 3 });
    expect(at(2, 3).firing).toBe(true); // still within the window: no flapping tick to tick
    expect(at(ALERT_WINDOW_SECONDS + 2, 3).firing).toBe(false);
  });
});

describe("AlertWindow", () => {
  it("judges the miss ratio over the window, not the last tick", () => {
    const w = new AlertWindow();
    const tick = (sec: number, hits: number, misses: number) =>
      w
        .evaluate(sec * 1000, [node("a", "master", { keyspaceHits: hits, keyspaceMisses: misses, uptimeSeconds: 100 + sec })], sentinel(), defaults)
        .find((a) => a.rule === "redis_keyspace_miss_ratio")!;
    tick(0, 0, 0);
    expect(tick(1, 100, 0).firing).toBe(false);
    // One tick of pure misses after 100 hits is 1/3 of the window's lookups, not 100 %.
    expect(tick(2, 100, 50)).toMatchObject({ firing: false });
    expect(tick(2, 100, 50).value).toBeCloseTo(1 / 3);
  });
  it("starts a node's window again after a restart, so reset counters never read as negative", () => {
    const w = new AlertWindow();
    const s = sentinel();
    w.evaluate(0, [node("a", "master", { keyspaceHits: 5000, keyspaceMisses: 5000, aofDelayedFsync: 9, uptimeSeconds: 500 })], s, defaults);
    const after = w.evaluate(1000, [node("a", "master", { keyspaceHits: 10, keyspaceMisses: 90, aofDelayedFsync: 0, uptimeSeconds: 1 })], s, defaults);
    expect(w.starts().a).toMatchObject({ uptimeSeconds: 1, keyspaceHits: 10 });
    expect(after.find((a) => a.rule === "redis_aof_delayed_fsync")!.firing).toBe(false);
    expect(after.find((a) => a.rule === "redis_keyspace_miss_ratio")!.value).toBeNull();
  });
});

describe("redis_replication_lag", () => {
  const replica = (lagSeconds: number | null, extra: Record<string, unknown> = {}) => ({
    id: "b",
    addr: "127.0.0.1:b",
    source: "sentinel" as const,
    up: true,
    consoleReach: true,
    flags: ["slave"],
    roleReported: "slave",
    linkUp: true,
    linkDownSeconds: null,
    masterAddr: "127.0.0.1:a",
    offset: 100,
    lagBytes: 0,
    lagSeconds,
    priority: 100,
    formerMaster: false,
    rejoined: false,
    ...extra,
  });
  const withReplicas = (replicas: ReturnType<typeof replica>[]) => input(healthy(), { sentinel: { ...sentinel(), replicas } });
  it("fires when a linked replica is further behind than the threshold, resolves when it catches up", () => {
    expect(rule("redis_replication_lag", withReplicas([replica(30)])).firing).toBe(true);
    expect(rule("redis_replication_lag", withReplicas([replica(1)])).firing).toBe(false);
  });
  it("leaves a replica whose link is down to the link rule, and says when lag is unknown", () => {
    expect(rule("redis_replication_lag", withReplicas([replica(300, { linkUp: false })])).firing).toBe(false);
    expect(rule("redis_replication_lag", input(healthy())).summary).toBe("no replica lag known");
  });
  it("takes its threshold from config", () => {
    expect(rule("redis_replication_lag", withReplicas([replica(30)]), { ...defaults, replicationLagSeconds: 60 }).firing).toBe(false);
  });
});

describe("standalone and the layers' address", () => {
  it("Sentinel rules are not applicable without sentinels: neither firing nor ok", () => {
    const standalone = input([node("a", "master")], { sentinel: sentinel([]) });
    for (const name of ["sentinel_quorum", "redis_replication_lag"]) {
      const r = rule(name, standalone);
      expect(r.firing).toBe(false);
      expect(r.notApplicable).toMatch(/no Sentinel in this deployment/);
    }
    expect(rule("redis_replication_link_down", standalone).summary).toBe("single node: no replica expected");
  });

  it("fires when the layers' address points to a replica, not when it is the master, n/a without one", () => {
    expect(
      rule(
        "redis_layer_address_replica",
        input(healthy(), { layerAddress: { state: "replica", detail: "the layers' Redis address points to a replica: writes fail with READONLY" } }),
      ).firing,
    ).toBe(true);
    expect(rule("redis_layer_address_replica", input(healthy(), { layerAddress: { state: "master", detail: "master" } })).firing).toBe(false);
    expect(rule("redis_layer_address_replica", input(healthy())).notApplicable).toMatch(/no layer address/);
  });
});

describe("a console blind by its own configuration", () => {
  it("says why no master is seen instead of calling Redis down", () => {
    const refused = (id: string) => node(id, "unknown", { up: false, problem: "tls-untrusted", error: "TLS: certificate not trusted (check redis.tls.ca)" });
    const s = sentinel([
      sentinelView("s1", {
        up: false,
        problem: "wrong-password",
        error:
          "authentication failed as the default user (no username set): wrong password, or the user is disabled (check redis.sentinelPassword and redis.sentinelUsername)",
      }),
    ]);
    const i = input([refused("a"), refused("b")], { sentinel: s });
    expect(rule("redis_up", i)).toMatchObject({ firing: true, summary: "no master the console can see: TLS: certificate not trusted (check redis.tls.ca)" });
    expect(rule("sentinel_quorum", i).summary).toMatch(/^the console cannot watch any sentinel: authentication failed/);
    // One node merely down: an outage, said as before.
    expect(
      rule("redis_up", input([refused("a"), node("b", "unknown", { up: false, problem: "refused", error: "connection refused (process down)" })])).summary,
    ).toBe("no reachable master");
  });
});
