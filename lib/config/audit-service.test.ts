import { describe, expect, it } from "vitest";
import type { Collector } from "../collector/collector";
import { ConfigAuditor, describeConfigError } from "./audit-service";

/** A node whose CONFIG GET answers from `config`, or fails every call with `error`. */
function fakeNode(config: Record<string, string>, error?: string) {
  let calls = 0;
  const redis = {
    pipeline() {
      const names: string[] = [];
      const p = {
        config: (_get: string, name: string) => {
          names.push(name);
          return p;
        },
        exec: async () => {
          calls++;
          return names.map((n) => (error ? [new Error(error), null] : [null, n in config ? [n, config[n]] : []]));
        },
      };
      return p;
    },
    call: async () => ["quorum", "2", "down-after-milliseconds", "5000", "failover-timeout", "10000", "parallel-syncs", "1"],
  };
  return { redis, calls: () => calls };
}

function collectorWith(nodes: { id: string; redis: unknown }[]) {
  return {
    settings: { timeouts: { redisMs: 500 }, redis: { masterName: "mymaster", nodes: nodes.map((n) => ({ id: n.id })), sentinels: [{ id: "s1" }] } },
    snapshot: () => ({ redis: { nodes: nodes.map((n, i) => ({ id: n.id, role: i ? "replica" : "master" })) } }),
    nodeClients: () => nodes.map((n) => ({ id: n.id, addr: "x", redis: n.redis })),
    sentinelClients: () => [{ id: "s1", addr: "x", redis: fakeNode({}).redis }],
  } as unknown as Collector;
}

describe("ConfigAuditor", () => {
  it("judges each node's CONFIG GET and each sentinel's settings; viewers read the cache only", async () => {
    const a = fakeNode({ appendonly: "yes", maxmemory: String(4 * 1024 ** 3), requirepass: "hunter2" });
    const auditor = new ConfigAuditor(collectorWith([{ id: "redis-a", redis: a.redis }]));
    expect(auditor.current().nodes[0].state).toBe("pending");
    await auditor.refresh();
    const report = auditor.current();
    expect(report.nodes[0]).toMatchObject({ id: "redis-a", role: "master", state: "read" });
    expect(report.nodes[0].settings.find((s) => s.name === "appendonly")).toMatchObject({ value: "yes", status: "ok" });
    expect(report.nodes[0].settings.find((s) => s.name === "save")).toMatchObject({ value: null, status: "unknown" });
    expect(report.sentinels[0].settings.every((s) => s.status === "ok")).toBe(true);
    expect(JSON.stringify(report)).not.toContain("hunter2");
    for (let i = 0; i < 5; i++) auditor.current();
    expect(a.calls()).toBe(1);
  });

  it("says CONFIG is disabled or renamed instead of failing, node by node", async () => {
    const renamed = fakeNode({}, "ERR unknown command 'CONFIG', with args beginning with: 'GET' 'appendonly'");
    const fine = fakeNode({ appendonly: "no" });
    const auditor = new ConfigAuditor(
      collectorWith([
        { id: "redis-a", redis: renamed.redis },
        { id: "redis-b", redis: fine.redis },
      ]),
    );
    await auditor.refresh();
    const [a, b] = auditor.current().nodes;
    expect(a).toMatchObject({ state: "config-unavailable" });
    expect(a.error).toMatch(/CONFIG is disabled or renamed/);
    expect(a.settings.every((s) => s.status === "unknown")).toBe(true);
    expect(b.settings.find((s) => s.name === "appendonly")).toMatchObject({ status: "drift" });
  });
});

describe("describeConfigError", () => {
  it("tells a policy (renamed, ACL) from an outage", () => {
    expect(describeConfigError(new Error("NOPERM this user has no permissions to run the 'config|get' command"), 500).state).toBe("config-unavailable");
    expect(describeConfigError(new Error("connect ECONNREFUSED 127.0.0.1:1"), 500)).toEqual({
      state: "unreachable",
      error: "connection refused (process down)",
    });
  });
});
