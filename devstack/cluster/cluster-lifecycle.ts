/** `up --cluster` and `down --cluster`: the shared sandbox lifecycle with the cluster's supervisor, binaries, ports and state file. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { portFree } from "../preflight";
import { cleanStaleSandbox, sandboxDown, sandboxUp, type SandboxKind } from "../sandbox/sandbox-lifecycle";
import { clusterPorts, type ClusterSettings } from "./cluster-settings";
import { readClusterState, removeClusterState, type ClusterState } from "./state";

export const CLUSTER_SANDBOX: SandboxKind<ClusterSettings, ClusterState> = {
  noun: "cluster",
  flag: " --cluster",
  supervisor: path.join(path.dirname(fileURLToPath(import.meta.url)), "cluster-supervisor.ts"),
  settingsEnv: "DEVSTACK_CLUSTER_SETTINGS_JSON",
  basePortEnv: "DEVSTACK_CLUSTER_BASE_PORT",
  binaries: ["redis-server", "redis-cli"],
  packages: "redis-server redis-tools",
  readyWord: "ok",
  startTimeoutMs: 90_000,
  async takenPorts(settings) {
    const checks = await Promise.all(clusterPorts(settings.basePort).map(async (p) => ({ ...p, free: await portFree(p.port) })));
    return checks.filter((c) => !c.free).map(({ name, port }) => ({ name, port }));
  },
  readState: readClusterState,
  removeState: removeClusterState,
};

/** Removes what a dead supervisor left: processes running in the cluster dir and the state file. */
export function cleanStaleCluster(dir: string): Promise<number[]> {
  return cleanStaleSandbox(CLUSTER_SANDBOX, dir);
}

export function clusterUp(settings: ClusterSettings, timeoutMs?: number): Promise<ClusterState> {
  return sandboxUp(CLUSTER_SANDBOX, settings, timeoutMs);
}

/** Stops the supervisor (it stops its nodes), then kills anything of the cluster still alive in its dir. */
export function clusterDown(dir: string, timeoutMs?: number): Promise<{ wasRunning: boolean; leftovers: number }> {
  return sandboxDown(CLUSTER_SANDBOX, dir, timeoutMs);
}
