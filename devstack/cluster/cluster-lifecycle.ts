/** `up --cluster` and `down --cluster`: start the cluster's supervisor detached and wait for it; stop it and leave nothing behind. */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { StackError } from "../lifecycle";
import { findStackProcesses, killStackProcesses } from "../ownership";
import { portFree } from "../preflight";
import { isAlive } from "../state";
import { TSX_LOADER } from "../tsx-loader";
import { clusterPorts, type ClusterSettings } from "./cluster-settings";
import { readClusterState, removeClusterState, type ClusterState } from "./state";

const here = path.dirname(fileURLToPath(import.meta.url));

function missingBinaries(): string[] {
  return ["redis-server", "redis-cli"].filter((bin) => {
    try {
      execFileSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Removes what a dead supervisor left: processes running in the cluster dir and the state file. */
export async function cleanStaleCluster(dir: string): Promise<number[]> {
  const killed = fs.existsSync(dir) ? await killStackProcesses(dir) : [];
  removeClusterState(dir);
  return killed;
}

export async function clusterUp(settings: ClusterSettings, timeoutMs = 90_000): Promise<ClusterState> {
  const missing = missingBinaries();
  if (missing.length) throw new StackError(`missing ${missing.join(" and ")}. Install them with: sudo apt-get install -y redis-server redis-tools`, 2);
  const existing = readClusterState(settings.dir);
  if (existing && isAlive(existing.supervisorPid)) {
    throw new StackError(
      `a cluster is already up in ${settings.dir} (supervisor pid ${existing.supervisorPid}, base port ${existing.basePort}). ` +
        "Use it, or stop it first with: npm run stack -- down --cluster",
    );
  }
  if (existing || (fs.existsSync(settings.dir) && findStackProcesses(settings.dir).length)) {
    const killed = await cleanStaleCluster(settings.dir);
    process.stderr.write(`cleaned a stale cluster in ${settings.dir} (${killed.length} leftover processes killed)\n`);
  }
  const checks = await Promise.all(clusterPorts(settings.basePort).map(async (p) => ({ ...p, free: await portFree(p.port) })));
  const taken = checks.filter((c) => !c.free);
  if (taken.length) {
    throw new StackError(
      `port${taken.length > 1 ? "s" : ""} ${taken.map((t) => `${t.port} (${t.name})`).join(", ")} already in use by another process. ` +
        "Free them, or pick another base port: npm run stack -- up --cluster --base-port <port> (or DEVSTACK_CLUSTER_BASE_PORT)",
    );
  }
  fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const logFile = path.join(settings.dir, "supervisor.log");
  const log = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["--import", TSX_LOADER, path.join(here, "cluster-supervisor.ts")], {
    // cwd inside the dir marks the supervisor as the cluster's (ownership.ts), like its nodes.
    cwd: settings.dir,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, DEVSTACK_CLUSTER_SETTINGS_JSON: JSON.stringify(settings), TSX_TSCONFIG_PATH: path.join(here, "..", "..", "tsconfig.json") },
  });
  fs.closeSync(log);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readClusterState(settings.dir);
    if (state?.ready && state.supervisorPid === child.pid) return state;
    if (!isAlive(child.pid)) {
      await cleanStaleCluster(settings.dir);
      throw new StackError(`the cluster failed to start. Supervisor log (${logFile}):\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await clusterDown(settings.dir);
  throw new StackError(`the cluster was not ok within ${timeoutMs / 1000} s. Supervisor log (${logFile}):\n${tail(logFile)}`);
}

/** Stops the supervisor (it stops its nodes), then kills anything of the cluster still alive in its dir. */
export async function clusterDown(dir: string, timeoutMs = 15_000): Promise<{ wasRunning: boolean; leftovers: number }> {
  const state = readClusterState(dir);
  const wasRunning = !!state && isAlive(state.supervisorPid);
  if (state && wasRunning) {
    process.kill(state.supervisorPid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && isAlive(state.supervisorPid)) await new Promise((r) => setTimeout(r, 50));
  }
  const leftovers = (await cleanStaleCluster(dir)).length;
  return { wasRunning, leftovers };
}
