/**
 * INFO parsing: the one place that reads Redis's INFO text. Everyone else sees `NodeInfo`.
 * Pure, so it is unit-tested against INFO captured from redis-server 7.0.
 */
import { infoToMap } from "../contract/info-fields";

// The raw split is shared with the devstack (lib/contract); the console reads it here.
export { infoFields, infoToMap } from "../contract/info-fields";

export interface ReplicaLink {
  addr: string;
  state: string;
  offset: number;
  lagSeconds: number;
}

/** One command's `INFO commandstats` line. */
export interface CommandStat {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** One database's keyspace line (`db0:keys=1,expires=0,avg_ttl=0`). */
export interface DbKeyspace {
  keys: number;
  expires: number;
  avgTtlMs: number;
}

export interface NodeInfo {
  role: "master" | "replica" | "sentinel" | "unknown";
  redisVersion: string;
  runId: string;
  uptimeSeconds: number;
  usedMemory: number;
  maxmemory: number;
  maxmemoryPolicy: string;
  fragmentationRatio: number | null;
  connectedClients: number;
  blockedClients: number;
  evictedKeys: number;
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalCommands: number;
  opsPerSec: number;
  latestForkUsec: number;
  aofEnabled: boolean;
  aofLastWriteStatus: string;
  aofDelayedFsync: number;
  rdbLastBgsaveStatus: string;
  keys: number;
  /** Per database, by its name as INFO gives it ("db0"). */
  dbs: Record<string, DbKeyspace>;
  /** Per command (lower case, "config|get" for subcommands), when INFO carried commandstats. */
  commands: Record<string, CommandStat>;
  netInputBytes: number;
  netOutputBytes: number;
  connectionsReceived: number;
  rejectedConnections: number;
  /** Replication, master side. */
  replicas: ReplicaLink[];
  masterReplOffset: number;
  /** Replication, replica side. */
  masterAddr: string | null;
  masterLinkUp: boolean | null;
  masterLastIoSecondsAgo: number | null;
  masterSyncInProgress: boolean;
  replicaReplOffset: number | null;
  replicaPriority: number | null;
}

/** Parses "a=1,b=x" into a record (slaveN, dbN lines). */
export function parseKv(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(",")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

function num(map: Map<string, string>, key: string, fallback = 0): number {
  const v = map.get(key);
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

function role(value: string | undefined, mode: string | undefined): NodeInfo["role"] {
  if (mode === "sentinel") return "sentinel";
  if (value === "master") return "master";
  if (value === "slave" || value === "replica") return "replica";
  return "unknown";
}

export function parseInfo(text: string): NodeInfo {
  const m = infoToMap(text);
  const replicas: ReplicaLink[] = [];
  let keys = 0;
  const dbs: Record<string, DbKeyspace> = {};
  const commands: Record<string, CommandStat> = {};
  for (const [k, v] of m) {
    if (/^slave\d+$/.test(k)) {
      const f = parseKv(v);
      replicas.push({ addr: `${f.ip}:${f.port}`, state: f.state ?? "unknown", offset: Number(f.offset ?? 0), lagSeconds: Number(f.lag ?? 0) });
    } else if (/^db\d+$/.test(k)) {
      const f = parseKv(v);
      dbs[k] = { keys: Number(f.keys ?? 0), expires: Number(f.expires ?? 0), avgTtlMs: Number(f.avg_ttl ?? 0) };
      keys += dbs[k].keys;
    } else if (k.startsWith("cmdstat_")) {
      const f = parseKv(v);
      commands[k.slice(8)] = {
        calls: Number(f.calls ?? 0),
        usec: Number(f.usec ?? 0),
        rejectedCalls: Number(f.rejected_calls ?? 0),
        failedCalls: Number(f.failed_calls ?? 0),
      };
    }
  }
  const r = role(m.get("role"), m.get("redis_mode"));
  const frag = m.get("mem_fragmentation_ratio");
  return {
    role: r,
    redisVersion: m.get("redis_version") ?? "",
    runId: m.get("run_id") ?? "",
    uptimeSeconds: num(m, "uptime_in_seconds"),
    usedMemory: num(m, "used_memory"),
    maxmemory: num(m, "maxmemory"),
    maxmemoryPolicy: m.get("maxmemory_policy") ?? "",
    fragmentationRatio: frag === undefined ? null : Number(frag),
    connectedClients: num(m, "connected_clients"),
    blockedClients: num(m, "blocked_clients"),
    evictedKeys: num(m, "evicted_keys"),
    expiredKeys: num(m, "expired_keys"),
    keyspaceHits: num(m, "keyspace_hits"),
    keyspaceMisses: num(m, "keyspace_misses"),
    totalCommands: num(m, "total_commands_processed"),
    opsPerSec: num(m, "instantaneous_ops_per_sec"),
    latestForkUsec: num(m, "latest_fork_usec"),
    aofEnabled: m.get("aof_enabled") === "1",
    aofLastWriteStatus: m.get("aof_last_write_status") ?? "ok",
    aofDelayedFsync: num(m, "aof_delayed_fsync"),
    rdbLastBgsaveStatus: m.get("rdb_last_bgsave_status") ?? "ok",
    keys,
    dbs,
    commands,
    netInputBytes: num(m, "total_net_input_bytes"),
    netOutputBytes: num(m, "total_net_output_bytes"),
    connectionsReceived: num(m, "total_connections_received"),
    rejectedConnections: num(m, "rejected_connections"),
    replicas,
    masterReplOffset: num(m, "master_repl_offset"),
    masterAddr: r === "replica" ? `${m.get("master_host")}:${m.get("master_port")}` : null,
    masterLinkUp: r === "replica" ? m.get("master_link_status") === "up" : null,
    masterLastIoSecondsAgo: r === "replica" ? num(m, "master_last_io_seconds_ago", -1) : null,
    masterSyncInProgress: m.get("master_sync_in_progress") === "1",
    replicaReplOffset: r === "replica" ? num(m, "slave_repl_offset") : null,
    replicaPriority: m.has("slave_priority") ? num(m, "slave_priority") : m.has("replica_priority") ? num(m, "replica_priority") : null,
  };
}

/** Turns a flat [k1, v1, k2, v2 …] reply (SENTINEL MASTER, CONFIG GET) into a record. */
export function pairsToRecord(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}
