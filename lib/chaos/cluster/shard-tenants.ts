/**
 * Which tenants (and which L3 sessions) a cluster run calls the layers as, chosen by hash slot
 * so that some live on the shard under test and some on each other shard. On the cluster the
 * layers tag a tenant's keys with its id (L1's window and config, L2's budget, L3's policies,
 * CP's records: `{tenant}`) and a session's keys with the session id, so a tenant's slot is
 * hashSlot(tenant) and a session's is hashSlot(id). Pure.
 */
import { hashSlot } from "../../contract/cluster-keys";
import { shardOfSlot, type ShardRef } from "./shard-map";

/** The tenant of the console's own probes (config/sandbox-probes.ts): the default shard under test holds it. */
export const PROBE_TENANT = "console-probe";

/** The shard holding `key`'s slot (a tenant id or session id is its own hash tag). */
export function shardOfKey(shards: ShardRef[], key: string): string | null {
  return shardOfSlot(shards, hashSlot(key))?.name ?? null;
}

/**
 * `perShard` fresh tenants per shard (fresh per run, so no earlier run's rate window or token
 * budget is met), named after the run. Every shard gets its tenants unless the slots are not
 * all covered.
 */
export function tenantsByShard(shards: ShardRef[], runId: string, perShard = 2): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(shards.map((s) => [s.name, []]));
  const stem = `ct-${runId.slice(-6)}`;
  for (let i = 0; i < 10_000 && Object.values(out).some((t) => t.length < perShard); i++) {
    const tenant = `${stem}-${i}`;
    const shard = shardOfKey(shards, tenant);
    if (shard && out[shard].length < perShard) out[shard].push(tenant);
  }
  return out;
}

/** Session ids grouped by the shard their keys live on. */
export function sessionsByShard(shards: ShardRef[], ids: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(shards.map((s) => [s.name, []]));
  for (const id of ids) {
    const shard = shardOfKey(shards, id);
    if (shard) out[shard].push(id);
  }
  return out;
}

/** The shard a run targets: the one named, or ("probe") the one holding the console's probe tenant. */
export function targetShard(shards: ShardRef[], param: string): ShardRef | null {
  const name = param === "probe" ? shardOfKey(shards, PROBE_TENANT) : param;
  return shards.find((s) => s.name === name) ?? null;
}

/** A tenant as it is, a session id (a UUID) by its first 8 characters: checks stay readable. */
export function subjectLabel(subject: string): string {
  return subject.length > 16 ? `${subject.slice(0, 8)}…` : subject;
}

/** "shard-1: t-a, t-b; shard-3: t-c": who a check speaks of. */
export function describeGroups(groups: Record<string, string[]>): string {
  return Object.entries(groups)
    .filter(([, subjects]) => subjects.length)
    .map(([shard, subjects]) => `${shard}: ${subjects.map(subjectLabel).join(", ")}`)
    .join("; ");
}
