import "server-only";
/**
 * Builds the console's configuration: a file named by CONSOLE_CONFIG, or else the devstack's
 * layout (from its state file when it is up, from its default ports when it is not yet).
 */
import fs from "node:fs";
import { LAYER_IDS } from "../contract/failure-contract";
import { DEFAULT_BASE_PORT, NODE_NAMES, SANDBOX_HOST, SENTINEL_NAMES, sandboxPort, sandboxUrl, type PortName } from "../contract/ports";
import { devstackDir, readDevstackState } from "./devstack-state";
import { clusterDevstackConfig, clusterSandboxDir, readClusterSandbox } from "./cluster-sandbox";
import { parseDeployments } from "./deployments";
import { SANDBOX_PROBES } from "./sandbox-probes";
import { AuthConfigSchema, DEFAULT_AUTH_CONFIG, type AuthConfig } from "./auth-schema";
import { ConsoleConfigSchema, describeConfigError, type ConsoleConfig } from "./schema";
import type { PasswordSourceConfig } from "./connection-schema";
import type { ConnectionAuth, DeploymentConnections } from "../redis/connection-auth";
import { secretFile } from "../redis/secret-file";
import { tlsOptions } from "../redis/tls-files";

export class ConfigError extends Error {}

/** The devstack's layout as a console config: from its state file when it is up, else from the contract's port offsets. */
export function devstackConfig(dir = devstackDir()): ConsoleConfig {
  const state = readDevstackState(dir);
  const base = state?.basePort ?? Number(process.env.DEVSTACK_BASE_PORT ?? DEFAULT_BASE_PORT);
  const host = SANDBOX_HOST;
  const at = (names: readonly PortName[]) => names.map((name) => ({ name, port: sandboxPort(base, name) }));
  return ConsoleConfigSchema.parse({
    deployment: "sandbox",
    source: "devstack",
    redis: {
      masterName: state?.masterName ?? "mymaster",
      nodes: (state?.nodes ?? at(NODE_NAMES)).map((n) => ({ id: n.name, host, port: n.port })),
      sentinels: (state?.sentinels ?? at(SENTINEL_NAMES)).map((s) => ({ id: s.name, host, port: s.port })),
      password: { from: "devstack-state" },
      // A TLS + ACL sandbox (`stack up --tls --acl`): the console's read-only user and the sandbox's CA, on the nodes and the sentinels.
      ...(state?.console ? { username: state.console.username, sentinelUsername: state.console.username, sentinelPassword: { from: "devstack-state" } } : {}),
      ...(state?.tls ? { tls: { ca: state.tls.ca }, sentinelTls: { ca: state.tls.ca } } : {}),
      layerAddress: { host, port: state?.proxy?.port ?? sandboxPort(base, "proxy") },
    },
    layers: LAYER_IDS.map((id) => ({ id, url: state?.layers.find((l) => l.id === id)?.url ?? sandboxUrl(base, id), probe: SANDBOX_PROBES[id] })),
    tickMs: Number(process.env.CONSOLE_TICK_MS ?? 1000),
    devstack: { dir, controlUrl: state?.control?.url ?? sandboxUrl(base, "control") },
  });
}

/** Loads and validates every deployment's configuration (the first is the default); throws ConfigError naming the bad field. */
export function loadDeployments(): ConsoleConfig[] {
  const file = process.env.CONSOLE_CONFIG;
  if (!file) {
    try {
      // `npm run demo -- --cluster`: the cluster sandbox instead of the Sentinel one.
      if (process.env.CONSOLE_SANDBOX === "cluster") return [clusterDevstackConfig(clusterSandboxDir())];
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
  const parsed = parseDeployments(raw, (dir, kind) => (kind === "cluster" ? clusterDevstackConfig(dir) : devstackConfig(dir)));
  if (!parsed.ok) throw new ConfigError(`CONSOLE_CONFIG=${file} is invalid: ${parsed.error}`);
  // Secret and certificate files are read now: a missing one stops the start, naming its field.
  for (const [i, c] of parsed.configs.entries()) {
    try {
      resolveConnections(c);
    } catch (err) {
      throw new ConfigError(`CONSOLE_CONFIG=${file} is invalid: ${parsed.configs.length > 1 ? `deployments.${i}: ` : ""}${(err as Error).message}`);
    }
  }
  return parsed.configs;
}

/** The default (first) deployment's configuration. */
export function loadConfig(): ConsoleConfig {
  return loadDeployments()[0];
}

/** The Redis password, from wherever the config says; never logged, never sent to a browser. */
export function resolvePassword(config: ConsoleConfig): string | undefined {
  return passwordOf(config.redis.password, "redis.password", config)();
}

/** A password source as a function called on each connect (a file is re-read when it changed); throws naming `field`. */
function passwordOf(src: PasswordSourceConfig, field: string, config: ConsoleConfig): () => string | undefined {
  if (src.from === "env") return () => process.env[src.name] || undefined;
  if (src.from === "file") {
    const f = secretFile(src.path, field);
    return () => f.current();
  }
  if (src.from === "devstack-state") {
    // Read once per connection set: a new sandbox (new password) rebuilds the collector's targets.
    if (config.devstack?.kind === "cluster") {
      const password = config.devstack ? readClusterSandbox(config.devstack.dir)?.password : undefined;
      return () => password;
    }
    const state = readDevstackState(config.devstack?.dir);
    // With ACL users the console logs in as its own read-only user; else with the sandbox's one password.
    const password = state?.console?.password ?? state?.password;
    return () => password;
  }
  return () => undefined;
}

/** A secret from a password source (a notification's header), read now; throws naming `field`. */
export function readSecret(src: PasswordSourceConfig, field: string, config: ConsoleConfig): string | undefined {
  return passwordOf(src, field, config)();
}

/** Users, passwords and TLS for the nodes and, independently, the sentinels; reads the files (throws naming the field). */
export function resolveConnections(config: ConsoleConfig): DeploymentConnections {
  const r = config.redis;
  const node: ConnectionAuth = {
    username: r.username,
    password: passwordOf(r.password, "redis.password", config),
    tls: r.tls ? tlsOptions(r.tls, "redis.tls") : undefined,
    tlsField: "redis.tls",
    passwordField: "redis.password",
  };
  const sentinel: ConnectionAuth = {
    username: r.sentinelUsername,
    password: passwordOf(r.sentinelPassword, "redis.sentinelPassword", config),
    tls: r.sentinelTls ? tlsOptions(r.sentinelTls, "redis.sentinelTls") : undefined,
    tlsField: "redis.sentinelTls",
    passwordField: "redis.sentinelPassword",
  };
  return { node, sentinel };
}

/** The chaos credential (config `chaos.username`/`chaos.password`) with the nodes' TLS: faults never use the watching user. */
export function resolveChaosAuth(config: ConsoleConfig): ConnectionAuth | null {
  const c = config.chaos;
  if (!c?.username) return null;
  const r = config.redis;
  return {
    username: c.username,
    password: passwordOf(c.password, "chaos.password", config),
    tls: r.tls ? tlsOptions(r.tls, "redis.tls") : undefined,
    tlsField: "redis.tls",
    passwordField: "chaos.password",
  };
}

/** The config file's top-level `auth` (sign-in and roles; the defaults without a file or without the key); throws ConfigError naming the field. */
export function loadAuthConfig(): AuthConfig {
  const file = process.env.CONSOLE_CONFIG;
  if (!file) return DEFAULT_AUTH_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError(`CONSOLE_CONFIG=${file} could not be read as JSON: ${(err as Error).message}`);
  }
  const auth = raw !== null && typeof raw === "object" && "auth" in raw ? (raw as { auth: unknown }).auth : undefined;
  const parsed = AuthConfigSchema.safeParse(auth ?? {});
  if (!parsed.success) throw new ConfigError(`CONSOLE_CONFIG=${file} is invalid: ${describeConfigError(parsed.error).replace(/^/, "auth.")}`);
  if (parsed.data.oidc?.clientSecret.from === "env" && !process.env[parsed.data.oidc.clientSecret.name])
    throw new ConfigError(
      `CONSOLE_CONFIG=${file} is invalid: auth.oidc.clientSecret: the environment variable ${parsed.data.oidc.clientSecret.name} is not set`,
    );
  if (parsed.data.oidc?.clientSecret.from === "file") secretFile(parsed.data.oidc.clientSecret.path, "auth.oidc.clientSecret");
  return parsed.data;
}

/** A secret from the env or a mounted file (auth.oidc.clientSecret), or undefined for {"from": "none"}; read on each call. */
export function resolveSecret(
  src: AuthConfig["oidc"] extends infer O ? (O extends { clientSecret: infer S } ? S : never) : never,
  field: string,
): string | undefined {
  if (src.from === "env") return process.env[src.name] || undefined;
  if (src.from === "file") return secretFile(src.path, field).current();
  return undefined;
}
