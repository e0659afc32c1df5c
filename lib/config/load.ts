import "server-only";
/**
 * Builds the console's configuration: a file named by CONSOLE_CONFIG, or else the devstack's
 * layout (from its state file when it is up, from its default ports when it is not yet).
 */
import fs from "node:fs";
import { LAYER_IDS } from "../contract/failure-contract";
import { devstackDir, readDevstackState } from "./devstack-state";
import { parseDeployments } from "./deployments";
import { SANDBOX_PROBES } from "./sandbox-probes";
import { ConsoleConfigSchema, type ConsoleConfig } from "./schema";

export class ConfigError extends Error {}

const DEFAULT_DEVSTACK_BASE_PORT = 6400;

/** The devstack's layout as a console config; the ports follow devstack/settings.ts PORT_OFFSETS. */
export function devstackConfig(dir = devstackDir()): ConsoleConfig {
  const state = readDevstackState(dir);
  const base = state?.basePort ?? Number(process.env.DEVSTACK_BASE_PORT ?? DEFAULT_DEVSTACK_BASE_PORT);
  const host = "127.0.0.1";
  return ConsoleConfigSchema.parse({
    deployment: "sandbox",
    source: "devstack",
    redis: {
      masterName: state?.masterName ?? "mymaster",
      nodes: (state?.nodes ?? [{ name: "redis-a", port: base }, { name: "redis-b", port: base + 1 }]).map((n) => ({ id: n.name, host, port: n.port })),
      sentinels: (state?.sentinels ?? [2, 3, 4].map((o, i) => ({ name: `sentinel-${i + 1}`, port: base + o }))).map((s) => ({ id: s.name, host, port: s.port })),
      password: { from: "devstack-state" },
      layerAddress: { host, port: state?.proxy?.port ?? base + 5 },
    },
    layers: LAYER_IDS.map((id, i) => ({ id, url: state?.layers.find((l) => l.id === id)?.url ?? `http://${host}:${base + 7 + i}`, probe: SANDBOX_PROBES[id] })),
    tickMs: Number(process.env.CONSOLE_TICK_MS ?? 1000),
    devstack: { dir, controlUrl: state?.control?.url ?? `http://${host}:${base + 6}` },
  });
}

/** Loads and validates every deployment's configuration (the first is the default); throws ConfigError naming the bad field. */
export function loadDeployments(): ConsoleConfig[] {
  const file = process.env.CONSOLE_CONFIG;
  if (!file) {
    try {
      return [devstackConfig()];
    } catch (err) {
      throw new ConfigError(`devstack configuration is invalid: ${(err as Error).message}`);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError(`CONSOLE_CONFIG=${file} could not be read as JSON: ${(err as Error).message}`);
  }
  const parsed = parseDeployments(raw, (dir) => devstackConfig(dir));
  if (!parsed.ok) throw new ConfigError(`CONSOLE_CONFIG=${file} is invalid: ${parsed.error}`);
  return parsed.configs;
}

/** The default (first) deployment's configuration. */
export function loadConfig(): ConsoleConfig {
  return loadDeployments()[0];
}

/** The Redis password, from wherever the config says; never logged, never sent to a browser. */
export function resolvePassword(config: ConsoleConfig): string | undefined {
  const src = config.redis.password;
  if (src.from === "env") return process.env[src.name] || undefined;
  if (src.from === "devstack-state") return readDevstackState(config.devstack?.dir)?.password;
  return undefined;
}
