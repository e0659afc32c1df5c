/**
 * The cluster sandbox's settings: the Sentinel sandbox's Redis production settings (same
 * defaults, same env and flags, same checks), plus where the cluster lives. Its own base port
 * and dir (DEVSTACK_CLUSTER_BASE_PORT, DEVSTACK_CLUSTER_DIR) so it never lands on the Sentinel
 * sandbox's.
 */
import path from "node:path";
import { checkSettings, RedisSettingsSchema } from "../settings-schema";
import { parseFlags, REDIS_SETTING_DEFAULTS, type RedisSettings } from "../settings";

export const CLUSTER_DEFAULT_BASE_PORT = 7100;
export const CLUSTER_DEFAULT_DIR = ".devstack-cluster";
export const CLUSTER_NODE_COUNT = 6;
/** Offsets from the base port: nodes at +0..+5, the control API at +10, the cluster bus at +20..+25. */
export const CLUSTER_CONTROL_OFFSET = 10;
export const CLUSTER_BUS_OFFSET = 20;
export const CLUSTER_PORT_SPAN = CLUSTER_BUS_OFFSET + CLUSTER_NODE_COUNT;
export const CLUSTER_SLOTS = 16384;

export interface ClusterSettings {
  dir: string;
  basePort: number;
  redis: RedisSettings;
  /** cluster-node-timeout: how long a node may be silent before the others count it as failing. */
  nodeTimeoutMs: number;
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

/** Every port the cluster listens on, named, for the free-port check. */
export function clusterPorts(basePort: number): { name: string; port: number }[] {
  return [
    ...clusterNodeSpecs(basePort).flatMap((n) => [
      { name: n.name, port: n.port },
      { name: `${n.name} bus`, port: n.busPort },
    ]),
    { name: "cluster control API", port: clusterControlPort(basePort) },
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
  return { dir: path.resolve(cwd, pick("dir", "DEVSTACK_CLUSTER_DIR", CLUSTER_DEFAULT_DIR)), basePort, redis, nodeTimeoutMs };
}
