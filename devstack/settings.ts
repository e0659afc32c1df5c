/**
 * Devstack settings: the guide's production column by default, every value overridable by
 * env (DEVSTACK_<NAME>) or flag (--<name>=value). maxmemory is small so memory pressure is
 * reachable in seconds.
 */
import path from "node:path";
import { DEFAULT_BASE_PORT, PORT_SPAN, sandboxPort, type PortName } from "../lib/contract/ports";
import type { z } from "zod";
import { checkSettings, LayerAddressingSetting, LayerClientSetting, MasterName, OnOff, RedisSettingsSchema, SentinelSettingsSchema } from "./settings-schema";

export const REDIS_SETTING_DEFAULTS = {
  appendonly: "yes",
  appendfsync: "everysec",
  maxmemory: "64mb",
  "maxmemory-policy": "allkeys-lru",
  save: "900 1",
  "tcp-keepalive": "60",
  timeout: "300",
  // Not the guide's (it leaves Redis's 10000): small enough that connection-exhaustion holds every slot in a second, a few MB of client buffers.
  maxclients: "512",
} as const;

export const SENTINEL_SETTING_DEFAULTS = {
  quorum: "2",
  "down-after-milliseconds": "5000",
  "failover-timeout": "10000",
  "parallel-syncs": "1",
} as const;

export type RedisSettings = Record<keyof typeof REDIS_SETTING_DEFAULTS, string>;
export type SentinelSettings = Record<keyof typeof SENTINEL_SETTING_DEFAULTS, string>;

export interface StackSettings {
  dir: string;
  basePort: number;
  masterName: string;
  redis: RedisSettings;
  sentinel: SentinelSettings;
  /** Fake LLM latency of the L2 stand-in. */
  llmLatencyMs: number;
  /** Redis nodes run under the power-loss shim (topology/power-loss-shim.ts): kill -9 drops the AOF's unsynced writes. */
  powerLossAof?: boolean;
  /** The layers' Redis address: pinned to the first master (the default: the platform's gw-redis → redis-master), or following the master (DEVSTACK_LAYER_ADDRESSING). */
  layerAddressing: z.infer<typeof LayerAddressingSetting>;
  /** The layers' client models (DEVSTACK_LAYER_CLIENT). */
  layerClient: z.infer<typeof LayerClientSetting>;
  /** TLS only (`port 0`, `tls-port`), with certificates made in `<dir>/tls` (topology/sandbox-security.ts). */
  tls?: boolean;
  /** The default user off, one ACL user each for the layers, the console and the devstack; sentinels with requirepass. */
  acl?: boolean;
}

// The port layout is part of the sandbox's contract with the console.
export { DEFAULT_BASE_PORT, PORT_OFFSETS, type PortName } from "../lib/contract/ports";

function envName(name: string): string {
  return "DEVSTACK_" + name.toUpperCase().replace(/-/g, "_");
}

/** Reads `--name=value` / `--name value` flags into a map. */
export function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) continue;
    const eq = arg.indexOf("=");
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags.set(arg.slice(2), argv[++i]);
    else flags.set(arg.slice(2), "true");
  }
  return flags;
}

function pick(flags: Map<string, string>, env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  return flags.get(name) ?? env[envName(name)] ?? fallback;
}

/** Resolves settings from defaults, env and flags; throws with the bad setting's name. */
export function resolveSettings(argv: string[] = [], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): StackSettings {
  const flags = parseFlags(argv);
  const basePort = Number(pick(flags, env, "base-port", String(DEFAULT_BASE_PORT)));
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65535 - PORT_SPAN) {
    throw new Error(`base port must be an integer from 1024 to ${65535 - PORT_SPAN}, got "${pick(flags, env, "base-port", "")}"`);
  }
  const redis = Object.fromEntries(Object.entries(REDIS_SETTING_DEFAULTS).map(([k, v]) => [k, pick(flags, env, k, v)])) as RedisSettings;
  const sentinel = Object.fromEntries(Object.entries(SENTINEL_SETTING_DEFAULTS).map(([k, v]) => [k, pick(flags, env, k, v)])) as SentinelSettings;
  checkSettings(RedisSettingsSchema, redis, "redis setting");
  checkSettings(SentinelSettingsSchema, sentinel, "sentinel setting");
  const masterName = checkSettings(MasterName, pick(flags, env, "master-name", "mymaster"), "setting");
  const llmLatencyMs = Number(pick(flags, env, "llm-latency-ms", "30"));
  if (!Number.isFinite(llmLatencyMs) || llmLatencyMs < 0) throw new Error("llm-latency-ms must be a number >= 0");
  const powerLossAof = pick(flags, env, "power-loss-aof", "false");
  if (powerLossAof !== "true" && powerLossAof !== "false") throw new Error(`power-loss-aof must be true or false, got "${powerLossAof}"`);
  const layerAddressing = checkSettings(LayerAddressingSetting, pick(flags, env, "layer-addressing", "pinned"), "setting");
  const layerClient = checkSettings(LayerClientSetting, pick(flags, env, "layer-client", "apisix-redisrs"), "setting");
  // `--tls` alone reads as "true"; DEVSTACK_TLS=1 as well.
  const tls = checkSettings(OnOff("tls"), pick(flags, env, "tls", "false"), "setting");
  const acl = checkSettings(OnOff("acl"), pick(flags, env, "acl", "false"), "setting");
  return {
    dir: path.resolve(cwd, pick(flags, env, "dir", ".devstack")),
    basePort,
    masterName,
    redis,
    sentinel,
    llmLatencyMs,
    layerAddressing,
    layerClient,
    ...(powerLossAof === "true" ? { powerLossAof: true } : {}),
    ...(tls ? { tls } : {}),
    ...(acl ? { acl } : {}),
  };
}

export function portOf(settings: Pick<StackSettings, "basePort">, name: PortName): number {
  return sandboxPort(settings.basePort, name);
}
