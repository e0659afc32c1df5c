/**
 * The production baseline: the guide's "Key Production Settings" table, the settings its
 * docker-compose and sentinel.conf imply, and one recommendation beyond it. Each entry knows how
 * to judge a value read with CONFIG GET (or SENTINEL MASTER). Pure and client-safe.
 */

/** `cluster`: a cluster node's own settings, audited only on a Redis Cluster. */
export type SettingScope = "node" | "sentinel" | "cluster";
/** `guide`: the guide states it; `recommendation`: the console advises it, with the reason. */
export type SettingSource = "guide-table" | "guide-compose" | "guide-sentinel" | "recommendation";
export type SettingStatus = "ok" | "drift" | "recommendation" | "unknown";

export interface BaselineEntry {
  name: string;
  scope: SettingScope;
  source: SettingSource;
  production: string;
  devDefault: string;
  /** Why it matters: the guide's own words where it gives them. */
  why: string;
  /** What the console adds (a caveat, a measured fact), kept apart from the guide's words. */
  note?: string;
  /** True when the value is a secret: only "set"/"not set" may ever be shown. */
  secret?: boolean;
  /** Judges a raw value; `recommendation` entries answer "recommendation" when not followed. */
  judge(value: string): Exclude<SettingStatus, "unknown">;
}

const GIB = 1024 ** 3;
const int = (v: string) => (/^-?\d+$/.test(v.trim()) ? Number(v) : NaN);
const is = (expected: string) => (v: string) => (v.trim().toLowerCase() === expected ? "ok" : "drift");

/** Save points as [seconds, changes] pairs; "" means RDB snapshots are off. */
export function savePoints(value: string): [number, number][] {
  const nums = value.trim().split(/\s+/).filter(Boolean).map(Number);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) out.push([nums[i], nums[i + 1]]);
  return out;
}

const GUIDE_BASELINE: BaselineEntry[] = [
  { name: "appendonly", scope: "node", source: "guide-table", production: "yes", devDefault: "no", why: "Data survives restart", judge: is("yes") },
  {
    name: "appendfsync",
    scope: "node",
    source: "guide-table",
    production: "everysec",
    devDefault: "N/A",
    why: "1s RPO (balance durability/perf)",
    judge: is("everysec"),
  },
  {
    name: "maxmemory",
    scope: "node",
    source: "guide-table",
    production: "2gb+",
    devDefault: "512mb",
    why: "Scale for tenant count",
    note: "0 means no limit: Redis grows until the host runs out of memory instead of evicting.",
    judge: (v) => (int(v) >= 2 * GIB ? "ok" : "drift"),
  },
  {
    name: "maxmemory-policy",
    scope: "node",
    source: "guide-table",
    production: "allkeys-lru",
    devDefault: "allkeys-lru",
    why: "Correct — evicts oldest cache",
    note: "allkeys-lru may evict any key, sessions and rate-limit windows included; see memory by key class.",
    judge: is("allkeys-lru"),
  },
  {
    name: "save",
    scope: "node",
    source: "guide-table",
    production: "900 1",
    devDefault: '"" (disabled)',
    why: "RDB snapshot every 15min",
    judge: (v) => (savePoints(v).some(([s, c]) => s === 900 && c === 1) ? "ok" : "drift"),
  },
  {
    name: "tcp-keepalive",
    scope: "node",
    source: "guide-table",
    production: "60",
    devDefault: "300",
    why: "Detect dead connections faster",
    judge: (v) => (int(v) > 0 && int(v) <= 60 ? "ok" : "drift"),
  },
  {
    name: "timeout",
    scope: "node",
    source: "guide-table",
    production: "300",
    devDefault: "0",
    why: "Close idle clients after 5min",
    judge: (v) => (int(v) === 300 ? "ok" : "drift"),
  },
  {
    name: "requirepass",
    scope: "node",
    source: "guide-compose",
    production: "set",
    devDefault: "not set",
    secret: true,
    why: "The guide's production command runs redis-server --requirepass ${REDIS_PASSWORD}",
    judge: (v) => (v !== "" ? "ok" : "drift"),
  },
  {
    name: "masterauth",
    scope: "node",
    source: "guide-compose",
    production: "set",
    devDefault: "not set",
    secret: true,
    why: "The guide's replica runs with --masterauth ${REDIS_PASSWORD}",
    note: "Set it on every node: after a failover the old master rejoins as a replica and must authenticate; the guide's compose sets it only on the replica.",
    judge: (v) => (v !== "" ? "ok" : "drift"),
  },
  {
    name: "replica-read-only",
    scope: "node",
    source: "guide-compose",
    production: "yes",
    devDefault: "yes",
    why: "L1 reads from replica, writes to primary",
    judge: is("yes"),
  },
  {
    name: "min-replicas-to-write",
    scope: "node",
    source: "recommendation",
    production: "1 (with min-replicas-max-lag 10)",
    devDefault: "0",
    why: "Acknowledged writes can be lost on failover: replication is asynchronous, so writes the master acknowledged but had not yet sent to the replica are gone when Sentinel promotes it.",
    note: "With 1 the master refuses writes while no replica is within min-replicas-max-lag seconds: that bounds the loss, at the price of failing writes (L3 sessions fail hard) when the replica is down. Not in the guide: a trade-off to decide.",
    judge: (v) => (int(v) >= 1 ? "ok" : "recommendation"),
  },
  {
    name: "quorum",
    scope: "sentinel",
    source: "guide-sentinel",
    production: "2",
    devDefault: "—",
    why: "sentinel monitor mymaster redis-master 6379 2",
    note: "Two of three sentinels must agree the master is down.",
    judge: (v) => (int(v) === 2 ? "ok" : "drift"),
  },
  {
    name: "down-after-milliseconds",
    scope: "sentinel",
    source: "guide-sentinel",
    production: "5000",
    devDefault: "30000",
    why: "sentinel down-after-milliseconds mymaster 5000",
    note: "How long the master may be silent before a failover starts: the floor of every outage.",
    judge: (v) => (int(v) === 5000 ? "ok" : "drift"),
  },
  {
    name: "failover-timeout",
    scope: "sentinel",
    source: "guide-sentinel",
    production: "10000",
    devDefault: "180000",
    why: "sentinel failover-timeout mymaster 10000",
    judge: (v) => (int(v) === 10000 ? "ok" : "drift"),
  },
  {
    name: "parallel-syncs",
    scope: "sentinel",
    source: "guide-sentinel",
    production: "1",
    devDefault: "1",
    why: "sentinel parallel-syncs mymaster 1",
    judge: (v) => (int(v) === 1 ? "ok" : "drift"),
  },
];

/** A cluster's settings: the guide says nothing of clusters, so these are the console's recommendations, with the reason. */
const CLUSTER_BASELINE: BaselineEntry[] = [
  {
    name: "cluster-node-timeout",
    scope: "cluster",
    source: "recommendation",
    production: "5000",
    devDefault: "15000",
    why: "How long a master may be silent before the others count it failed and promote its replica: the floor of a shard's outage, as the guide's down-after-milliseconds 5000 is for Sentinel",
    judge: (v) => (int(v) === 5000 ? "ok" : "recommendation"),
  },
  {
    name: "cluster-require-full-coverage",
    scope: "cluster",
    source: "recommendation",
    production: "no",
    devDefault: "yes",
    why: "With yes, a shard without a master stops every node from serving: every tenant fails, not only those whose keys live on it. With no, the other shards keep serving",
    note: "Measured by the cluster chaos runs: the check on the other shards' tenants says which way it went.",
    judge: (v) => (v.trim().toLowerCase() === "no" ? "ok" : "recommendation"),
  },
];

export const BASELINE: BaselineEntry[] = [...GUIDE_BASELINE, ...CLUSTER_BASELINE];

/** The CONFIG GET parameters the node audit reads. */
export const NODE_SETTINGS = BASELINE.filter((b) => b.scope === "node").map((b) => b.name);
/** The CONFIG GET parameters read on a cluster node, besides the node's. */
export const CLUSTER_SETTINGS = BASELINE.filter((b) => b.scope === "cluster").map((b) => b.name);
/** The SENTINEL MASTER fields the sentinel audit reads. */
export const SENTINEL_SETTINGS = BASELINE.filter((b) => b.scope === "sentinel").map((b) => b.name);

export interface SettingVerdict {
  name: string;
  /** Shown value: a secret is only ever "set" or "not set". */
  value: string | null;
  status: SettingStatus;
  /** Read from INFO because CONFIG GET is refused (hosted Redis, rename-command): the page says so. */
  from?: "info";
}

/** Bytes the way redis.conf writes them (2gb, 64mb), exact bytes otherwise. */
export function redisBytes(raw: string): string {
  const n = int(raw);
  if (!(n > 0)) return raw === "0" ? "0 (no limit)" : raw;
  for (const [unit, size] of [
    ["gb", GIB],
    ["mb", 1024 ** 2],
    ["kb", 1024],
  ] as const)
    if (n % size === 0) return `${n / size}${unit}`;
  return `${n} bytes`;
}

/** A raw value as the page shows it (secrets as set / not set, byte sizes as redis.conf writes them). */
export function shown(entry: BaselineEntry, raw: string): string {
  if (entry.secret) return raw !== "" ? "set" : "not set";
  if (entry.name === "save" && raw.trim() === "") return '"" (disabled)';
  if (entry.name === "maxmemory") return redisBytes(raw);
  return raw;
}

/** Judges the values read from one node or sentinel; a missing value is "unknown", never a guess. */
export function auditSettings(scope: SettingScope, values: Record<string, string | undefined>): SettingVerdict[] {
  return BASELINE.filter((b) => b.scope === scope).map((entry) => {
    const raw = values[entry.name];
    if (raw === undefined) return { name: entry.name, value: null, status: "unknown" };
    return { name: entry.name, value: shown(entry, raw), status: entry.judge(raw) };
  });
}
