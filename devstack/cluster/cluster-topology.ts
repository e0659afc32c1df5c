/**
 * The cluster's six redis-server processes and its creation: fresh data dirs and configs, then
 * `redis-cli --cluster create … --cluster-replicas 1`, then a bounded wait for cluster_state:ok
 * on every node. The password reaches redis-cli through REDISCLI_AUTH, never its command line.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { withRedis } from "../redis-client";
import { sleep } from "../timeouts";
import { ManagedProcess } from "../topology/managed-process";
import { renderClusterConf } from "./cluster-conf";
import { waitForClusterOk, type ClusterHealth } from "./cluster-health";
import { clusterNodeSpecs, type ClusterSettings } from "./cluster-settings";
import type { ClusterNodeState } from "./state";

const run = promisify(execFile);
// redis-cli colours its --cluster output even into a pipe.
const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g");

export interface ClusterNode {
  process: ManagedProcess;
  busPort: number;
}

/** Writes fresh data dirs and configs; returns the (not yet started) processes. */
export function prepareClusterNodes(settings: ClusterSettings, password: string): ClusterNode[] {
  return clusterNodeSpecs(settings.basePort).map((spec) => {
    const dataDir = path.join(settings.dir, spec.name);
    // A new cluster starts empty: an old nodes-<port>.conf would make the node refuse to join (it knows another cluster).
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const confPath = path.join(dataDir, "redis.conf");
    const conf = renderClusterConf(settings.redis, { port: spec.port, busPort: spec.busPort, dataDir, password, nodeTimeoutMs: settings.nodeTimeoutMs });
    fs.writeFileSync(confPath, conf, { mode: 0o600 });
    return { process: new ManagedProcess(spec.name, "redis", spec.port, dataDir, "redis-server", confPath), busPort: spec.busPort };
  });
}

async function waitForPong(port: number, password: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      if ((await withRedis({ port, password, timeoutMs: 500 }, (r) => r.ping())) === "PONG") return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`node on port ${port} did not answer PING within ${timeoutMs} ms (${last})`);
}

/** Runs redis-cli --cluster create over the started nodes and waits until every node reports ok. */
export async function createCluster(nodes: ClusterNode[], password: string, cwd: string, log: (m: string) => void): Promise<ClusterHealth> {
  await Promise.all(nodes.map((n) => waitForPong(n.process.port, password, 15_000)));
  const args = ["--cluster", "create", ...nodes.map((n) => `127.0.0.1:${n.process.port}`), "--cluster-replicas", "1", "--cluster-yes"];
  log(`cluster: redis-cli ${args.join(" ")}`);
  try {
    const { stdout } = await run("redis-cli", args, { cwd, timeout: 60_000, env: { ...process.env, REDISCLI_AUTH: password } });
    log(`cluster: ${stdout.replace(ANSI, "").trim().split("\n").slice(-2).join(" / ")}`);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const out = `${e.stdout ?? ""}\n${e.stderr ?? ""}`.replace(ANSI, "").trim().split("\n").slice(-10).join("\n");
    throw new Error(`redis-cli --cluster create failed: ${out || e.message}`.split(password).join("[redacted]"));
  }
  return waitForClusterOk({ password, nodes: nodes.map((n) => ({ name: n.process.name, port: n.process.port })) }, 30_000);
}

/** Each node's state-file entry: pid and frozen from the process, id and created role from the health check after creation. */
export function nodeStates(nodes: ClusterNode[], created: ClusterHealth | null): ClusterNodeState[] {
  return nodes.map((n) => {
    const view = created?.nodes.find((v) => v.name === n.process.name)?.myself ?? null;
    return {
      name: n.process.name,
      port: n.process.port,
      busPort: n.busPort,
      pid: n.process.pid,
      ...(n.process.frozen ? { frozen: true } : {}),
      id: view?.id ?? null,
      createdRole: view ? (view.role === "replica" ? "replica" : "master") : null,
      createdReplicaOf: view?.masterId ? (created!.names[view.masterId] ?? null) : null,
    };
  });
}
