/**
 * The cluster sandbox's settings: the Sentinel sandbox's Redis production settings (same
 * defaults, same env and flags, same checks), plus where the cluster lives. Its own base port
 * and dir (DEVSTACK_CLUSTER_BASE_PORT, DEVSTACK_CLUSTER_DIR) so it never lands on the Sentinel
 * sandbox's. The layers listen at base+30..+33.
 */
import path from "node:path";
import {
  CLUSTER_BUS_OFFSET,
  CLUSTER_CONTROL_OFFSET,
  CLUSTER_DEFAULT_BASE_PORT,
  CLUSTER_DEFAULT_DIR,
  CLUSTER_LAYER_OFFSETS,
  CLUSTER_NODE_COUNT,
  CLUSTER_PORT_SPAN,
} from "../../lib/contract/cluster-ports";
import { LAYER_IDS, type LayerId } from "../../lib/contract/failure-contract";
import { checkSettings, RedisSettingsSchema } from "../settings-schema";
import { parseFlags, REDIS_SETTING_DEFAULTS, type RedisSettings } from "../settings";

// The port layout is shared with the console (lib/contract/cluster-ports.ts).
export {
  CLUSTER_BUS_OFFSET,
  CLUSTER_CONTROL_OFFSET,
  CLUSTER_DEFAULT_BASE_PORT,
  CLUSTER_DEFAULT_DIR,
  CLUSTER_LAYER_OFFSETS,
  CLUSTER_NODE_COUNT,
  CLUSTER_PORT_SPAN,
} from "../../lib/contract/cluster-ports";
export { CLUSTER_SLOTS } from "../../lib/contract/cluster-keys";

export interface ClusterSettings {
  dir: string;
  basePort: number;
  redis: RedisSettings;
  /** cluster-node-timeout: how long a node may be silent before the others count it as failing. */
  nodeTimeoutMs: number;
  /** Fake LLM latency of the L2 stand-in (as the Sentinel sandbox's llm-latency-ms). */
  llmLatencyMs: number;
}

export interface ClusterNodeSpec {
  name: string;
  port: number;
  busPort: number;
}

/** node-1..node-6 with their client and bus ports. */
export function clusterNodeSpecs(basePort: number): ClusterNodeSpec[] {
  return Array.from({ length: CLUSTER_NODE_COUNT }, (_, i) => ({
    name: `node-${i + 1}`,
    port: basePort + i,
    busPort: basePort + CLUSTER_BUS_OFFSET + i,
  }));
}

export const clusterControlPort = (basePort: number) => basePort + CLUSTER_CONTROL_OFFSET;
export const clusterLayerPort = (basePort: number, id: LayerId) => basePort + CLUSTER_LAYER_OFFSETS[id];

/** Every port the cluster listens on, named, for the free-port check. */
export function clusterPorts(basePort: number): { name: string; port: number }[] {
  return [
    ...clusterNodeSpecs(basePort).flatMap((n) => [
      { name: n.name, port: n.port },
      { name: `${n.name} bus`, port: n.busPort },
    ]),
    { name: "cluster control API", port: clusterControlPort(basePort) },
    ...LAYER_IDS.map((id) => ({ name: `cluster layer ${id}`, port: clusterLayerPort(basePort, id) })),
  ];
}

/** Resolves the cluster's settings from defaults, env and flags; throws naming the bad setting. */
export function resolveClusterSettings(argv: string[] = [], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ClusterSettings {
  const flags = parseFlags(argv);
  const pick = (name: string, envName: string, fallback: string) => flags.get(name) ?? env[envName] ?? fallback;
  const rawBase = pick("base-port", "DEVSTACK_CLUSTER_BASE_PORT", String(CLUSTER_DEFAULT_BASE_PORT));
  const basePort = Number(rawBase);
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65535 - CLUSTER_PORT_SPAN) {
    throw new Error(`cluster base port must be an integer from 1024 to ${65535 - CLUSTER_PORT_SPAN}, got "${rawBase}"`);
  }
  const redis = Object.fromEntries(
    Object.entries(REDIS_SETTING_DEFAULTS).map(([k, v]) => [k, pick(k, "DEVSTACK_" + k.toUpperCase().replace(/-/g, "_"), v)]),
  ) as RedisSettings;
  checkSettings(RedisSettingsSchema, redis, "redis setting");
  const rawTimeout = pick("cluster-node-timeout", "DEVSTACK_CLUSTER_NODE_TIMEOUT", "5000");
  const nodeTimeoutMs = Number(rawTimeout);
  if (!Number.isInteger(nodeTimeoutMs) || nodeTimeoutMs < 500 || nodeTimeoutMs > 600_000) {
    throw new Error(`cluster-node-timeout must be a whole number of milliseconds from 500 to 600000, got "${rawTimeout}"`);
  }
  const rawLatency = pick("llm-latency-ms", "DEVSTACK_LLM_LATENCY_MS", "30");
  const llmLatencyMs = Number(rawLatency);
  if (!Number.isFinite(llmLatencyMs) || llmLatencyMs < 0) throw new Error(`llm-latency-ms must be a number >= 0, got "${rawLatency}"`);
  return { dir: path.resolve(cwd, pick("dir", "DEVSTACK_CLUSTER_DIR", CLUSTER_DEFAULT_DIR)), basePort, redis, nodeTimeoutMs, llmLatencyMs };
}
