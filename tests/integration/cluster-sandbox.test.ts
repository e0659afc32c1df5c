/**
 * The Redis Cluster sandbox (`stack up --cluster`): six real redis-server nodes in cluster mode,
 * created by redis-cli, a master kill failed over by the cluster itself, reset (roles as created), and down.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Cluster } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { clusterDown } from "../../devstack/cluster/cluster-lifecycle";
import { clusterPorts } from "../../devstack/cluster/cluster-settings";
import { ClusterControlClient } from "../../lib/contract/cluster-control-client";
import { readClusterState, type ClusterState } from "../../devstack/cluster/state";
import { findStackProcesses } from "../../devstack/ownership";
import { portFree } from "../../devstack/preflight";
import { withRedis } from "../../devstack/redis-client";
import { PORT_SHIFT, waitFor } from "./helpers/stack";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "../..");
const basePort = 18000 + PORT_SHIFT;
const dirName = `.devstack-test-cluster-${basePort}`;
const dir = path.join(repoRoot, dirName);
const flags = ["--cluster", "--base-port", String(basePort), "--dir", dirName];

function cli(args: string[]) {
  return run("npx", ["tsx", "devstack/cli.ts", ...args], { cwd: repoRoot, timeout: 120_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );
}

function control(state: ClusterState, method: string, route: string, body?: unknown, timeoutMs = 5000): Promise<{ status: number; body: any }> {
  return ClusterControlClient.forState(state).request(method, route, body, { timeoutMs });
}

interface NodeLine {
  name: string;
  role: string;
  master: string | null;
  slots: string;
}
const roles = (nodes: NodeLine[]) => nodes.map((n) => n.role).sort();

describe("cluster sandbox", () => {
  let state: ClusterState;
  let cluster: Cluster | null = null;
  let killed = "";
  let promoted = "";
  const key = "rrc:cluster-test:greeting";

  afterAll(async () => {
    cluster?.disconnect();
    await clusterDown(dir);
  });

  it("up --cluster gives 3 masters and 3 replicas, cluster_state:ok, 16384 slots, production settings", async () => {
    await clusterDown(dir);
    const up = await cli(["up", ...flags, "--json"]);
    expect(up.code, up.stderr).toBe(0);
    const status = JSON.parse(up.stdout);
    state = readClusterState(dir)!;
    expect(fs.statSync(path.join(dir, "cluster-state.json")).mode & 0o777).toBe(0o600);
    expect(up.stdout).not.toContain(state.password);
    expect(up.stdout).not.toContain(state.controlToken);
    expect(fs.readFileSync(path.join(dir, "supervisor.log"), "utf8")).not.toContain(state.password);

    expect(status.cluster).toMatchObject({ state: "ok", healthy: true, slots: { assigned: 16384, ok: 16384, pfail: 0, fail: 0 } });
    expect(status.nodes.map((n: NodeLine) => n.name)).toEqual(["node-1", "node-2", "node-3", "node-4", "node-5", "node-6"]);
    expect(roles(status.nodes)).toEqual(["master", "master", "master", "replica", "replica", "replica"]);
    const masters = status.nodes.filter((n: NodeLine) => n.role === "master").map((n: NodeLine) => n.name);
    for (const r of status.nodes.filter((n: NodeLine) => n.role === "replica")) expect(masters).toContain(r.master);
    expect(new Set(status.nodes.filter((n: NodeLine) => n.role === "replica").map((n: NodeLine) => n.master)).size).toBe(3);
    expect(state.nodes.map((n) => n.createdRole).sort()).toEqual(["master", "master", "master", "replica", "replica", "replica"]);

    for (const n of state.nodes) {
      const { config, info } = await withRedis({ port: n.port, password: state.password }, async (r) => {
        const out: Record<string, string> = {};
        for (const k of [
          "cluster-enabled",
          "cluster-node-timeout",
          "cluster-config-file",
          "appendonly",
          "appendfsync",
          "maxmemory",
          "maxmemory-policy",
          "bind",
        ]) {
          out[k] = ((await r.config("GET", k)) as string[])[1];
        }
        return { config: out, info: String(await r.call("CLUSTER", "INFO")) };
      });
      expect(config).toEqual({
        "cluster-enabled": "yes",
        "cluster-node-timeout": "5000",
        "cluster-config-file": `nodes-${n.port}.conf`,
        appendonly: "yes",
        appendfsync: "everysec",
        maxmemory: String(64 * 1024 * 1024),
        "maxmemory-policy": "allkeys-lru",
        bind: "127.0.0.1",
      });
      expect(info).toMatch(/cluster_state:ok/);
      expect(info).toMatch(/cluster_slots_assigned:16384/);
      expect(fs.existsSync(path.join(dir, n.name, `nodes-${n.port}.conf`))).toBe(true);
    }
  });

  it("a key written on its master is readable through a cluster-aware client", async () => {
    const slot = Number(await withRedis({ port: state.nodes[0].port, password: state.password }, (r) => r.call("CLUSTER", "KEYSLOT", key)));
    const status = (await control(state, "GET", "/status")).body;
    const owner = status.masters.find((m: { slots: string }) =>
      m.slots.split(",").some((range) => {
        const [a, b] = range.split("-").map(Number);
        return slot >= a && slot <= (b ?? a);
      }),
    );
    killed = owner.node;
    const ownerPort = state.nodes.find((n) => n.name === killed)!.port;
    // Written on the master itself (not through the cluster client), and on its replica before the kill.
    const acked = await withRedis({ port: ownerPort, password: state.password }, async (r) => {
      await r.set(key, "hello from the master");
      return Number(await r.call("WAIT", "1", "2000"));
    });
    expect(acked).toBe(1);

    cluster = new Cluster([{ host: "127.0.0.1", port: state.nodes[0].port }], {
      redisOptions: { password: state.password, connectTimeout: 1000, commandTimeout: 2000 },
      clusterRetryStrategy: (times) => (times > 20 ? null : 200),
      slotsRefreshTimeout: 2000,
    });
    cluster.on("error", () => {
      /* the awaited command reports the failure */
    });
    expect(await cluster.get(key)).toBe("hello from the master");
    await cluster.set("rrc:cluster-test:{other}", "through the client");
    expect(await cluster.get("rrc:cluster-test:{other}")).toBe("through the client");
  });

  it("killing a master makes the cluster promote its replica", async () => {
    const replica = state.nodes.find((n) => n.createdReplicaOf === killed)!;
    expect(replica, `a replica of ${killed} as created`).toBeTruthy();
    promoted = replica.name;
    const kill = await control(state, "POST", `/nodes/${killed}/kill`, { ttlSeconds: 300 });
    expect(kill.status).toBe(200);
    expect(kill.body.fault).toMatchObject({ kind: "node-kill", target: killed, ttlSeconds: 300 });
    expect((await control(state, "GET", "/faults")).body.faults.map((f: { target: string }) => f.target)).toEqual([killed]);

    // cluster-node-timeout 5000: the failure is agreed and the replica elected within ~6-10 s.
    const status = await waitFor(
      `${promoted} promoted in place of ${killed} and cluster_state:ok on the live nodes`,
      async () => {
        const s = (await control(state, "GET", "/status")).body;
        const p = s.nodes.find((n: NodeLine) => n.name === promoted);
        const live = s.nodes.filter((n: NodeLine & { clusterState: string | null }) => n.name !== killed);
        return p.role === "master" && p.slots && live.every((n: { clusterState: string | null }) => n.clusterState === "ok") ? s : null;
      },
      30_000,
      250,
    );
    expect(status.nodes.find((n: NodeLine) => n.name === killed).role).toBe("down");
    expect(status.masters.find((m: { node: string }) => m.node === promoted)).toBeTruthy();
    // The key is served by the promoted replica now.
    expect(await cluster!.get(key)).toBe("hello from the master");
  });

  it("reset brings the killed master back and gives its shard back to it, cluster ok, roles as created", async () => {
    const reset = await control(state, "POST", "/reset", {}, 90_000);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ healthy: true, undone: [`node-kill:${killed}`], started: [killed], rolesRestored: [killed], rolesChanged: [] });
    expect(reset.body.masters.map((m: { node: string }) => m.node)).toContain(killed);
    expect(reset.body.masters.map((m: { node: string }) => m.node)).not.toContain(promoted);
    expect(reset.body.masters.reduce((s: number, m: { slotCount: number }) => s + m.slotCount, 0)).toBe(16384);

    const status = await cli(["status", ...flags, "--json"]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.cluster).toMatchObject({ state: "ok", healthy: true, slots: { assigned: 16384, ok: 16384 } });
    expect(roles(s.nodes)).toEqual(["master", "master", "master", "replica", "replica", "replica"]);
    expect(s.nodes.find((n: NodeLine) => n.name === killed)).toMatchObject({ role: "master" });
    expect(s.nodes.find((n: NodeLine) => n.name === promoted)).toMatchObject({ role: "replica", master: killed, linkUp: true });
    expect((await control(state, "GET", "/faults")).body.faults).toEqual([]);
    expect(await cluster!.get(key)).toBe("hello from the master");
  });

  it("down leaves no process of the cluster's dir and frees its ports", async () => {
    cluster?.disconnect();
    cluster = null;
    const pids = [...state.nodes, ...readClusterState(dir)!.nodes].map((n) => n.pid).filter((pid): pid is number => pid !== null);
    const down = await cli(["down", ...flags]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain("cluster stopped");
    expect(findStackProcesses(dir)).toEqual([]);
    expect(readClusterState(dir)).toBeNull();
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("redis-server")).toBe(false);
    for (const p of clusterPorts(basePort)) expect(await portFree(p.port), `${p.name} port ${p.port}`).toBe(true);
  });
});
