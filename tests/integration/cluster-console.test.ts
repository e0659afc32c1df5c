/**
 * The console watching the Redis Cluster sandbox (CONSOLE_SANDBOX=cluster): the nodes discovered
 * from the seeds, the shards and slots, each node's own view, the cluster's metrics under the
 * names (and values) the real redis_exporter gives the same node, the rules promtool accepts, and
 * a master killed with kill -9 followed live to its replica's promotion, timed.
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterControlClient } from "../../lib/contract/cluster-control-client";
import { hashSlot } from "../../lib/contract/cluster-keys";
import { readClusterState, type ClusterState } from "../../lib/contract/cluster-state";
import { clusterDown } from "../../devstack/cluster/cluster-lifecycle";
import type { Snapshot } from "../../lib/snapshot/types";
import { startConsole, type RunningConsole } from "./helpers/console";
import { startExporter, type Daemon } from "./helpers/prometheus";
import { waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "../..");
const basePort = PORTS.clusterConsole;
const dirName = `.devstack-test-cluster-${basePort}`;
const dir = path.join(repoRoot, dirName);

function control(state: ClusterState, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  return ClusterControlClient.forState(state).request(method, route, body, { timeoutMs: 60_000 });
}

/** Prometheus text → name{labels} → value, for the series carrying `node`. */
function series(text: string, node: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(redis_cluster_[a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && (!m[2] || m[2].includes(`node="${node}"`))) out.set(m[1], Number(m[3]));
  }
  return out;
}

describe("the console on a Redis Cluster", () => {
  let state: ClusterState;
  let app: RunningConsole;
  let exporter: Daemon | null = null;

  beforeAll(async () => {
    await run("npx", ["tsx", "devstack/cli.ts", "up", "--cluster", "--base-port", String(basePort), "--dir", dirName], { cwd: repoRoot, timeout: 120_000 });
    state = readClusterState(dir)!;
    app = await startConsole({
      port: CONSOLE_PORTS.clusterConsole,
      devstackDir: path.join(repoRoot, ".devstack-test-none"),
      env: { CONSOLE_SANDBOX: "cluster", DEVSTACK_CLUSTER_DIR: dir, DEVSTACK_CLUSTER_BASE_PORT: String(basePort), INCIDENTS_SETTLE_MS: "0" },
    });
  }, 180_000);

  afterAll(async () => {
    await exporter?.stop();
    await app?.stop();
    await clusterDown(dir);
  });

  it("discovers every node from the seeds and shows 3 shards covering all 16384 slots", async () => {
    const s = await waitForSnapshot(
      app.url,
      "the cluster watched",
      (x) => x.cluster?.state === "ok" && x.cluster.shards.length === 3 && x.redis.nodes.length === 6,
    );
    const c = s.cluster!;
    expect(s.redis.nodes.map((n) => n.id).sort()).toEqual(["node-1", "node-2", "node-3", "node-4", "node-5", "node-6"]);
    expect(c.shards.map((x) => x.name)).toEqual(["shard-1", "shard-2", "shard-3"]);
    expect(c.shards.reduce((n, x) => n + x.slotCount, 0)).toBe(16384);
    expect(c.shards.every((x) => x.master && x.replicas.length === 1 && x.replicas[0].health === "online")).toBe(true);
    expect(c.nodes.every((v) => v.state === "ok" && v.knownNodes === 6 && v.size === 3)).toBe(true);
    expect(c.slotsOk).toBe(16384);
    expect(s.redis.available).toBe(true);
    // The probe tenant's tenant-tagged keys live where CRC16 puts its tag.
    const slot = hashSlot("{console-probe}");
    const rl = c.keyPlacement.find((k) => k.prefix === "l1:rl:")!;
    expect(rl.slot).toBe(slot);
    expect(c.shards.find((x) => x.name === rl.shard)!.slots.some(([a, b]) => slot >= a && slot <= b)).toBe(true);
    // No Sentinel here: its rules do not apply; the cluster's do, and none fires.
    const alert = (rule: string) => s.alerts.find((a) => a.rule === rule)!;
    expect(alert("sentinel_quorum").notApplicable).toBeTruthy();
    for (const rule of [
      "redis_cluster_state",
      "redis_cluster_slots_uncovered",
      "redis_cluster_shard_without_replica",
      "redis_cluster_shard_memory_used_ratio",
    ]) {
      expect(alert(rule).notApplicable).toBeUndefined();
      expect(alert(rule).firing).toBe(false);
    }
    expect(s.sentinel.master.addr).toBeNull();
  });

  it("exposes the cluster metrics under redis_exporter's names, with the values the exporter reads from the same node", async () => {
    exporter = await startExporter(basePort + 40, state.password);
    const node = state.nodes[1];
    const fromExporter = series(
      await (await fetch(`${exporter.url}/scrape?target=redis://127.0.0.1:${node.port}`, { signal: AbortSignal.timeout(5000) })).text(),
      "",
    );
    const text = await (await fetch(`${app.url}/api/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const ours = series(text, node.name);
    const names = [
      "redis_cluster_state",
      "redis_cluster_slots_assigned",
      "redis_cluster_slots_ok",
      "redis_cluster_slots_pfail",
      "redis_cluster_slots_fail",
      "redis_cluster_known_nodes",
      "redis_cluster_size",
    ];
    for (const name of names) {
      expect(ours.has(name), name).toBe(true);
      expect(fromExporter.has(name), `${name} from redis_exporter`).toBe(true);
      expect(ours.get(name), name).toBe(fromExporter.get(name));
    }
    // Everything the console calls redis_cluster_* is a name the exporter uses too.
    for (const name of ours.keys()) expect(fromExporter.has(name), name).toBe(true);
    expect(text).not.toContain(state.password);
    execFileSync("promtool", ["check", "metrics"], { input: text });
  });

  it("serves alert rules with the cluster's, which promtool accepts", async () => {
    const res = await fetch(`${app.url}/api/alert-rules`, { signal: AbortSignal.timeout(5000) });
    const yaml = await res.text();
    for (const rule of [
      "redis_cluster_state",
      "redis_cluster_slots_uncovered",
      "redis_cluster_shard_without_replica",
      "redis_cluster_shard_memory_used_ratio",
    ]) {
      expect(yaml).toContain(`alert: ${rule}`);
    }
    const file = path.join(app.dataDir, "cluster-rules.yml");
    fs.writeFileSync(file, yaml);
    // promtool exits non-zero on any rule it cannot parse or whose PromQL is invalid.
    execFileSync("promtool", ["check", "rules", file], { encoding: "utf8" });
  });

  it("follows a master killed with kill -9 to its replica's promotion, live, and times it", async () => {
    const before = await app.snapshot();
    const shard = before.cluster!.shards[1];
    const victim = shard.master!.id;
    const heir = shard.replicas[0].id;
    expect((await control(state, "POST", `/nodes/${victim}/kill`, { ttlSeconds: 120 })).status).toBe(200);
    // Live, over the stream: first the shard's master failing, then the promotion.
    const failing = await waitForSnapshot(app.url, `${shard.name} failing`, (x) => x.cluster?.failoverInProgress?.shard === shard.name, 15_000);
    expect(failing.redis.nodes.find((n) => n.id === victim)?.up).toBe(false);
    const promoted = await waitForSnapshot(
      app.url,
      `${heir} promoted`,
      (x: Snapshot) => x.cluster?.shards.find((s) => s.name === shard.name)?.master?.id === heir && x.cluster.failovers[0]?.seconds !== null,
      60_000,
    );
    const f = promoted.cluster!.failovers[0];
    expect(f).toMatchObject({ shard: shard.name, from: victim, to: heir, kind: "automatic" });
    // Detection takes cluster-node-timeout (5 s in the sandbox) before the election: the timing cannot be shorter.
    expect(f.seconds!).toBeGreaterThan(state.nodeTimeoutMs / 1000 - 1);
    expect(promoted.cluster!.failoverInProgress).toBeNull();
    const alert = promoted.alerts.find((a) => a.rule === "redis_cluster_shard_without_replica")!;
    expect(alert.firing).toBe(true);
    expect(alert.summary).toContain(shard.name);
    const titles = (await app.get<{ events: { title: string }[] }>("/api/timeline")).body.events.map((e) => e.title);
    expect(titles.some((t) => t.startsWith(`${shard.name}: ${heir} promoted in place of ${victim}`))).toBe(true);
    expect(titles.some((t) => t.startsWith(`${shard.name}: cluster_state ok again`))).toBe(true);
    const metrics = await (await fetch(`${app.url}/api/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    expect(metrics).toMatch(/^rrc_cluster_failover_last_duration_seconds\{deployment="cluster-sandbox"\} \d/m);

    // Back: the old master restarts and rejoins its shard as the new master's replica.
    expect((await control(state, "POST", `/nodes/${victim}/restart`)).status).toBe(200);
    const back = await waitForSnapshot(
      app.url,
      `${victim} back as a replica`,
      (x) => !!x.cluster?.shards.find((s) => s.name === shard.name)?.replicas.some((r) => r.id === victim && r.health === "online"),
      60_000,
    );
    await waitFor(
      "the replica alert resolved",
      async () => !(await app.snapshot()).alerts.find((a) => a.rule === "redis_cluster_shard_without_replica")!.firing,
      15_000,
    );
    expect(back.cluster!.state).toBe("ok");
  }, 150_000);

  it("keeps the failover it followed across a restart: the Cluster's history is in the store", async () => {
    const followed = (await app.snapshot()).cluster!.failovers[0];
    expect(followed.okAt).not.toBeNull();
    // Stopped as a deploy stops it (SIGTERM: what it holds is written), its data dir kept for the next start.
    const { pid, dataDir } = app;
    process.kill(pid, "SIGTERM");
    await waitFor("the console to exit", async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    app = await startConsole({
      port: CONSOLE_PORTS.clusterConsole,
      devstackDir: path.join(repoRoot, ".devstack-test-none"),
      dataDir,
      env: { CONSOLE_SANDBOX: "cluster", DEVSTACK_CLUSTER_DIR: dir, DEVSTACK_CLUSTER_BASE_PORT: String(basePort), INCIDENTS_SETTLE_MS: "0" },
    });
    const again = await waitForSnapshot(app.url, "the cluster watched again", (x) => (x.cluster?.shards.length ?? 0) === 3, 60_000);
    expect(again.cluster!.failovers).toContainEqual(followed);
  }, 120_000);
});
