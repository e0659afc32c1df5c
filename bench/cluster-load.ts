/**
 * The console's Redis load per node on a Redis Cluster of 1 and of 3 shards (issue #21): real
 * redis-server nodes in cluster mode started by the bench (a 1-shard cluster is below what
 * `redis-cli --cluster create` makes, so the bench assigns slots and replicas itself), watched by
 * the built console through `redis.cluster.seeds` with no layers, counted by INFO commandstats on
 * every node. The per-node figure must not grow with the shards: one INFO + one CLUSTER INFO and
 * the liveness PINGs per node, one CLUSTER NODES per tick shared by all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { measureWindow, type Target } from "./commandstats";
import { ConsoleProcess } from "./console-process";
import { CONSOLE_URL, PORT_SHIFT, ROOT } from "./env";
import { round, sleep } from "./stats";

const BASE = 17740 + PORT_SHIFT;

export interface ClusterLoad {
  shards: number;
  nodes: number;
  /** The console's commands per second per node, mean and max over the nodes. */
  perNodeMean: number;
  perNodeMax: number;
  /** Per command, per node per second (mean over nodes). */
  byCommandPerNode: Record<string, number>;
}

async function until<T>(what: string, fn: () => Promise<T | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`${what} not reached within ${ms / 1000} s${last ? `: ${(last as Error).message}` : ""}`);
}

/** 2 × shards nodes, slots split evenly over the masters, one replica each; resolves once every node says cluster_state:ok. */
async function startCluster(shards: number, dir: string, password: string): Promise<{ ports: number[]; stop: () => Promise<void> }> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ports = Array.from({ length: shards * 2 }, (_, i) => BASE + i);
  const procs: ChildProcess[] = ports.map((port) =>
    spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `nodes-${port}.conf`,
        "--cluster-node-timeout",
        "5000",
      ].concat(["--dir", dir, "--requirepass", password, "--masterauth", password, "--save", "", "--appendonly", "no", "--maxmemory", "64mb"]),
      { cwd: dir, stdio: "ignore" },
    ),
  );
  const clients = ports.map(
    (port) => new Redis({ host: "127.0.0.1", port, password, lazyConnect: true, connectTimeout: 2000, commandTimeout: 5000, maxRetriesPerRequest: 0 }),
  );
  for (const c of clients) c.on("error", () => {});
  const stop = async () => {
    for (const c of clients) c.disconnect();
    for (const p of procs) p.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until("nodes listening", async () =>
      (await Promise.all(clients.map((c) => (c.status === "ready" ? c.ping() : c.connect().then(() => c.ping()))))).every((r) => r === "PONG"),
    );
    const per = Math.floor(16384 / shards);
    for (let i = 0; i < shards; i++) await clients[i].call("CLUSTER", "ADDSLOTSRANGE", String(i * per), String(i === shards - 1 ? 16383 : (i + 1) * per - 1));
    for (const port of ports.slice(1)) await clients[0].call("CLUSTER", "MEET", "127.0.0.1", String(port));
    await until("every node knows every node", async () =>
      (
        await Promise.all(
          clients.map(
            async (c) =>
              String(await c.call("CLUSTER", "NODES"))
                .trim()
                .split("\n").length,
          ),
        )
      ).every((n) => n === ports.length),
    );
    const ids = await Promise.all(clients.map(async (c) => String(await c.call("CLUSTER", "MYID"))));
    for (let i = 0; i < shards; i++) await until(`replica ${i}`, async () => (await clients[shards + i].call("CLUSTER", "REPLICATE", ids[i])) === "OK");
    await until(
      "cluster_state:ok everywhere",
      async () => (await Promise.all(clients.map((c) => c.call("CLUSTER", "INFO")))).every((t) => /cluster_state:ok/.test(String(t))),
      60_000,
    );
    return { ports, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One cluster of `shards`, the console watching it for `seconds`. */
export async function clusterLoad(shards: number, seconds: number, log: (s: string) => void): Promise<ClusterLoad> {
  const dir = path.join(ROOT, `.bench-cluster-${shards}`);
  const password = crypto.randomBytes(16).toString("hex");
  const cluster = await startCluster(shards, dir, password);
  const config = path.join(dir, "console.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      deployment: `bench-cluster-${shards}`,
      source: "external",
      redis: { cluster: { seeds: [{ host: "127.0.0.1", port: cluster.ports[0] }] }, password: { from: "env", name: "BENCH_CLUSTER_PASSWORD" } },
      layers: [],
    }),
  );
  const targets: Target[] = cluster.ports.map((port) => {
    const redis = new Redis({ host: "127.0.0.1", port, password, connectTimeout: 2000, commandTimeout: 2000, maxRetriesPerRequest: 0 });
    redis.on("error", () => {});
    return { name: `:${port}`, kind: "redis", redis };
  });
  let consoleProc: ConsoleProcess | null = null;
  try {
    const bg = await measureWindow(targets, 5);
    consoleProc = await ConsoleProcess.start({ CONSOLE_CONFIG: config, BENCH_CLUSTER_PASSWORD: password });
    await until(
      "the console watching every node",
      async () => {
        const s = await (await fetch(`${CONSOLE_URL}/api/snapshot`, { signal: AbortSignal.timeout(2000) })).json();
        return s.cluster?.state === "ok" && s.redis.nodes.length === cluster.ports.length && s.redis.nodes.every((n: { up: boolean }) => n.up);
      },
      60_000,
    );
    await sleep(5000); // the first config audit and keyspace pass are start-up, not steady state
    const w = await measureWindow(targets, seconds);
    const perNode = Object.entries(w.byTarget).map(([name, n]) => (n - (bg.byTarget[name] ?? 0) * (w.seconds / bg.seconds)) / w.seconds);
    const byCommandPerNode = Object.fromEntries(
      Object.entries(w.byCommand).map(([cmd, n]) => [cmd, round((n - (bg.byCommand[cmd] ?? 0) * (w.seconds / bg.seconds)) / w.seconds / targets.length, 2)!]),
    );
    const r: ClusterLoad = {
      shards,
      nodes: targets.length,
      perNodeMean: round(perNode.reduce((a, b) => a + b, 0) / perNode.length, 1)!,
      perNodeMax: round(Math.max(...perNode), 1)!,
      byCommandPerNode,
    };
    log(`  ${shards} shard(s), ${r.nodes} nodes: ${r.perNodeMean} console commands/s per node (max ${r.perNodeMax}) ${JSON.stringify(byCommandPerNode)}`);
    return r;
  } finally {
    for (const t of targets) t.redis.disconnect();
    await consoleProc?.stop();
    await cluster.stop();
  }
}
