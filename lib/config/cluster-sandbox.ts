import "server-only";
/**
 * The cluster sandbox (`npm run stack -- up --cluster`) as a console config: its seeds, layers
 * and control API from its state file when it is up, from the contract's port offsets when not
 * yet. The password stays in the state file and is read per connection set.
 */
import path from "node:path";
import { LAYER_IDS } from "../contract/failure-contract";
import { CLUSTER_CONTROL_OFFSET, CLUSTER_DEFAULT_BASE_PORT, CLUSTER_DEFAULT_DIR, CLUSTER_LAYER_OFFSETS, CLUSTER_NODE_COUNT } from "../contract/cluster-ports";
import { readClusterState, type ClusterState } from "../contract/cluster-state";
import { SANDBOX_HOST } from "../contract/ports";
import { SANDBOX_PROBES } from "./sandbox-probes";
import { ConsoleConfigSchema, type ConsoleConfig } from "./schema";

export function clusterSandboxDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.DEVSTACK_CLUSTER_DIR ?? CLUSTER_DEFAULT_DIR);
}

export function readClusterSandbox(dir: string): ClusterState | null {
  return readClusterState(dir);
}

export function clusterDevstackConfig(dir = clusterSandboxDir()): ConsoleConfig {
  const state = readClusterState(dir);
  const base = state?.basePort ?? Number(process.env.DEVSTACK_CLUSTER_BASE_PORT ?? CLUSTER_DEFAULT_BASE_PORT);
  const host = SANDBOX_HOST;
  const seeds = state?.nodes.length
    ? state.nodes.map((n) => ({ host, port: n.port }))
    : Array.from({ length: CLUSTER_NODE_COUNT }, (_, i) => ({ host, port: base + i }));
  return ConsoleConfigSchema.parse({
    deployment: "cluster-sandbox",
    source: "devstack",
    redis: { cluster: { seeds }, password: { from: "devstack-state" } },
    layers: LAYER_IDS.map((id) => ({
      id,
      url: state?.layers.find((l) => l.id === id)?.url ?? `http://${host}:${base + CLUSTER_LAYER_OFFSETS[id]}`,
      probe: SANDBOX_PROBES[id],
    })),
    tickMs: Number(process.env.CONSOLE_TICK_MS ?? 1000),
    devstack: { dir, kind: "cluster", controlUrl: state?.control?.url ?? `http://${host}:${base + CLUSTER_CONTROL_OFFSET}` },
  });
}
