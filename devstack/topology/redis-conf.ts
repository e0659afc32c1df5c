/** Renders redis.conf and sentinel.conf for the sandbox topology. */
import type { StackSettings } from "../settings";

export interface RedisConfInput {
  port: number;
  dataDir: string;
  password: string;
  replicaOfPort?: number;
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
    `port ${input.port}`,
    `dir ${q(input.dataDir)}`,
    "daemonize no",
    "loglevel notice",
    'logfile ""',
    `requirepass ${q(input.password)}`,
    `masterauth ${q(input.password)}`,
    "replica-announce-ip 127.0.0.1",
    `appendonly ${r.appendonly}`,
    `appendfsync ${r.appendfsync}`,
    `maxmemory ${r.maxmemory}`,
    `maxmemory-policy ${r["maxmemory-policy"]}`,
    r.save.trim() === "" ? 'save ""' : `save ${r.save}`,
    `tcp-keepalive ${r["tcp-keepalive"]}`,
    `timeout ${r.timeout}`,
  ];
  if (input.replicaOfPort) lines.push(`replicaof 127.0.0.1 ${input.replicaOfPort}`);
  return lines.join("\n") + "\n";
}

export interface SentinelConfInput {
  port: number;
  dataDir: string;
  masterPort: number;
  password: string;
}

export function renderSentinelConf(settings: StackSettings, input: SentinelConfInput): string {
  const s = settings.sentinel;
  const m = settings.masterName;
  return [
    "# Written by devstack. This sentinel rewrites this file itself: one file per sentinel.",
    "bind 127.0.0.1",
    `port ${input.port}`,
    `dir ${q(input.dataDir)}`,
    "daemonize no",
    'logfile ""',
    "sentinel announce-ip 127.0.0.1",
    `sentinel monitor ${m} 127.0.0.1 ${input.masterPort} ${s.quorum}`,
    `sentinel auth-pass ${m} ${q(input.password)}`,
    `sentinel down-after-milliseconds ${m} ${s["down-after-milliseconds"]}`,
    `sentinel failover-timeout ${m} ${s["failover-timeout"]}`,
    `sentinel parallel-syncs ${m} ${s["parallel-syncs"]}`,
  ].join("\n") + "\n";
}
