/** Renders redis.conf and sentinel.conf for the sandbox topology. */
import type { StackSettings } from "../settings";
import { nodeAclLines, sentinelAclLines, tlsConfLines, type SandboxSecurity } from "./sandbox-security";

export interface RedisConfInput {
  port: number;
  dataDir: string;
  password: string;
  replicaOfPort?: number;
  /** The TLS + ACL sandbox's certificates and users (absent or null parts: plain port, default user). */
  security?: Pick<SandboxSecurity, "tls" | "users">;
}

/** A quoted config value: the password is random hex, but quote anyway so a space never splits it. */
function q(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function renderRedisConf(settings: StackSettings, input: RedisConfInput): string {
  const r = settings.redis;
  const lines = [
    "# Written by devstack. Sentinel may rewrite it (CONFIG REWRITE) after a failover.",
    "bind 127.0.0.1",
    ...(input.security?.tls ? tlsConfLines(input.security.tls, input.port) : [`port ${input.port}`]),
    `dir ${q(input.dataDir)}`,
    "daemonize no",
    "loglevel notice",
    'logfile ""',
    ...(input.security?.users ? nodeAclLines(input.security.users) : [`requirepass ${q(input.password)}`, `masterauth ${q(input.password)}`]),
    "replica-announce-ip 127.0.0.1",
    `appendonly ${r.appendonly}`,
    `appendfsync ${r.appendfsync}`,
    `maxmemory ${r.maxmemory}`,
    `maxmemory-policy ${r["maxmemory-policy"]}`,
    r.save.trim() === "" ? 'save ""' : `save ${r.save}`,
    `tcp-keepalive ${r["tcp-keepalive"]}`,
    `timeout ${r.timeout}`,
    `maxclients ${r.maxclients}`,
  ];
  if (input.replicaOfPort) lines.push(`replicaof 127.0.0.1 ${input.replicaOfPort}`);
  return lines.join("\n") + "\n";
}

export interface SentinelConfInput {
  port: number;
  dataDir: string;
  masterPort: number;
  password: string;
  security?: Pick<SandboxSecurity, "tls" | "users">;
}

export function renderSentinelConf(settings: StackSettings, input: SentinelConfInput): string {
  const s = settings.sentinel;
  const m = settings.masterName;
  return (
    [
      "# Written by devstack. This sentinel rewrites this file itself: one file per sentinel.",
      "bind 127.0.0.1",
      ...(input.security?.tls ? tlsConfLines(input.security.tls, input.port) : [`port ${input.port}`]),
      `dir ${q(input.dataDir)}`,
      "daemonize no",
      'logfile ""',
      "sentinel announce-ip 127.0.0.1",
      `sentinel monitor ${m} 127.0.0.1 ${input.masterPort} ${s.quorum}`,
      ...(input.security?.users ? sentinelAclLines(input.security.users, m) : [`sentinel auth-pass ${m} ${q(input.password)}`]),
      `sentinel down-after-milliseconds ${m} ${s["down-after-milliseconds"]}`,
      `sentinel failover-timeout ${m} ${s["failover-timeout"]}`,
      `sentinel parallel-syncs ${m} ${s["parallel-syncs"]}`,
    ].join("\n") + "\n"
  );
}
