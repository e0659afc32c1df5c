import "server-only";
/**
 * Keys on the master counted by owner prefix (the contract's key prefixes, the filler, the
 * integrity writer): a bounded SCAN, never KEYS, plus INFO's evicted_keys. SCAN and INFO do
 * not touch a key's LRU clock, so counting does not change what gets evicted.
 */
import type Redis from "ioredis";
import { FAILURE_CONTRACT, FILLER_PREFIX, INTEGRITY_PREFIX, LAYER_IDS } from "../../contract/failure-contract";

export const CENSUS_PREFIXES: string[] = [...LAYER_IDS.flatMap((id) => FAILURE_CONTRACT[id].keyPrefixes), FILLER_PREFIX, INTEGRITY_PREFIX];
const OTHER = "other";

export interface KeyCensus {
  /** Keys per prefix, plus "other". */
  counts: Record<string, number>;
  total: number;
  /** False when the SCAN hit its time or key bound before the end of the keyspace. */
  complete: boolean;
  evictedKeys: number;
}

/** Adds each key to its longest matching prefix (or "other"). Pure. */
export function tallyByPrefix(keys: string[], counts: Record<string, number>, prefixes = CENSUS_PREFIXES): void {
  for (const key of keys) {
    let best = OTHER;
    for (const p of prefixes) if (key.startsWith(p) && (best === OTHER || p.length > best.length)) best = p;
    counts[best] = (counts[best] ?? 0) + 1;
  }
}

/** Keys that went away per prefix between two censuses (growth counts as 0). Pure. */
export function keysGone(before: KeyCensus, after: KeyCensus): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [prefix, n] of Object.entries(before.counts)) out[prefix] = Math.max(0, n - (after.counts[prefix] ?? 0));
  return out;
}

/** SCANs the whole keyspace of `redis` within the bounds and reads evicted_keys. */
export async function takeCensus(redis: Redis, budgetMs = 10_000, maxKeys = 500_000): Promise<KeyCensus> {
  const started = Date.now();
  // SCAN may return a key twice while the keyspace rehashes; a set counts it once.
  const seen = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "COUNT", 1000);
    cursor = next;
    for (const k of keys) seen.add(k);
  } while (cursor !== "0" && Date.now() - started < budgetMs && seen.size < maxKeys);
  const counts: Record<string, number> = {};
  tallyByPrefix([...seen], counts);
  return { counts, total: seen.size, complete: cursor === "0", evictedKeys: await evictedKeys(redis) };
}

/** INFO's evicted_keys: every key Redis has evicted since it started. */
export async function evictedKeys(redis: Redis): Promise<number> {
  const m = /evicted_keys:(\d+)/.exec(await redis.info("stats"));
  return m ? Number(m[1]) : 0;
}

/** Keys that are not the filler's: what the layers (and workloads) hold. Pure. */
export function workingSetSize(c: KeyCensus): number {
  return c.total - (c.counts[FILLER_PREFIX] ?? 0);
}
