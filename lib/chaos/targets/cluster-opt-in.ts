import "server-only";
/**
 * The three keys on a Redis Cluster dev stack: `chaos.allow` in the config (as on Sentinel), the
 * marker — ONE KEY PER SHARD, `rrc:chaos-allowed:{<tag>}` tagged into that shard's slots, equal to
 * the deployment's name, on every shard — and the lock `rrc:chaos-lock:{<tag>}` taken with
 * SET NX PX on the first shard's master. A refusal names each shard that lacks its marker, with the
 * redis-cli command (`-c`, so it follows the slot to the right master) that fixes it.
 */
import type Redis from "ioredis";
import type { ConnectionAuth } from "../../redis/connection-auth";
import { addr, withClient } from "./connect";
import { cliFlags, type Refusal } from "./opt-in";
import { lockKey, markerKey, type DevClusterTopology, type DevShard } from "./cluster-topology";

/** Every shard whose master does not carry the marker naming `deployment`: one refusal naming each, or null. */
export async function clusterMarkerRefusal(topo: DevClusterTopology, deployment: string, auth: ConnectionAuth, timeoutMs: number): Promise<Refusal | null> {
  const missing: { shard: DevShard; said: string }[] = [];
  for (const shard of topo.shards) {
    const key = markerKey(shard.tag);
    const value = await withClient(shard.master, auth, timeoutMs, (r) => r.get(key)).catch((err: Error) => `(no answer: ${err.message})`);
    if (value === deployment) continue;
    missing.push({ shard, said: value === null ? `no ${key}` : `${key} = ${JSON.stringify(value.slice(0, 100))}` });
  }
  if (!missing.length) return null;
  const tls = !!auth.tls;
  return {
    key: "marker",
    reason:
      `every shard must carry its marker (one key per shard, tagged into its slots), and ${missing.length} of ${topo.shards.length} do not: ` +
      missing.map((m) => `${m.shard.name} (master ${addr(m.shard.master)}) has ${m.said}`).join("; ") +
      ": this cluster was not marked as a chaos target, or the config points at another one",
    fix: missing
      .map((m) => `redis-cli -c -h ${m.shard.master.host} -p ${m.shard.master.port}${cliFlags(tls)} SET ${markerKey(m.shard.tag)} ${deployment}`)
      .join(" ; "),
  };
}

/** The lock's shard: the first, by lowest slot. */
export const lockShard = (topo: DevClusterTopology): DevShard => topo.shards[0];

/** Takes the lock for `runId` on the first shard's master; a refusal names the run that holds it. */
export async function takeClusterLock(r: Redis, shard: DevShard, runId: string, ttlMs: number): Promise<Refusal | null> {
  const key = lockKey(shard.tag);
  if ((await r.set(key, runId, "PX", ttlMs, "NX")) === "OK") return null;
  const holder = await r.get(key);
  const pttl = await r.pttl(key);
  const where = addr(shard.master);
  return {
    key: "lock",
    reason: `another chaos run (${(holder ?? "?").slice(0, 100)}) holds ${key} on ${where}${pttl > 0 ? ` for ${Math.ceil(pttl / 1000)} s more` : ""}: two consoles never run chaos on one stack at once`,
    fix: `wait for that run to end (or abort it in the console that runs it); a lock left by a dead console expires by itself, or: redis-cli -c -h ${shard.master.host} -p ${shard.master.port} DEL ${key}`,
  };
}

/** Deletes the lock only if `runId` still holds it (never another console's). */
export async function releaseClusterLock(r: Redis, key: string, runId: string): Promise<void> {
  await r.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, key, runId);
}
