import "server-only";
/**
 * Memory pressure on one master by command, for both dev-stack targets (a Sentinel stack's
 * master, a cluster shard's): a maxmemory just above what the node uses (when it has none, or a
 * higher one), the policy asked for, then filler with TTLs until `percent` of it is used or Redis
 * evicts. The marker as found, the filler's pattern and each original setting are journaled first.
 */
import type Redis from "ioredis";
import { infoFields, memoryCountedForEviction } from "../../contract/info-fields";
import type { FaultJournal, NodeAddress } from "../journal";

const FILLER_CHUNK = 64 * 1024;
const MAX_FILL_KEYS = 4000;

export const infoNumber = (info: string, field: string) => Number(info.match(new RegExp(`^${field}:(.*)$`, "m"))?.[1].trim() ?? NaN);
/** What maxmemory compares with: a lagging replica's output buffer is not the fill's progress. */
const countedMemory = async (r: Redis) => memoryCountedForEviction(infoFields(await r.info("memory")));

export interface FillRequest {
  /** The marker on this node, put back as found if the fill evicts it. */
  marker: string;
  /** What the restore deletes (SCAN MATCH), and the prefix of the keys written (`<prefix><n>`). */
  pattern: string;
  keyPrefix: string;
  percent: number;
  ttlMs: number;
  policy?: string;
  headroomBytes?: number;
}

export interface FillResult {
  maxmemory: number;
  usedPercent: number;
  keys: number;
  evicted: number;
}

export async function fillNode(r: Redis, node: NodeAddress, journal: FaultJournal, f: FillRequest): Promise<FillResult> {
  const [, maxOrig] = (await r.call("CONFIG", "GET", "maxmemory")) as string[];
  const [, policyOrig] = (await r.call("CONFIG", "GET", "maxmemory-policy")) as string[];
  const used = await countedMemory(r);
  const ceiling = used + (f.headroomBytes ?? 4 * 1024 * 1024);
  const limit = Number(maxOrig) > 0 && Number(maxOrig) < ceiling ? Number(maxOrig) : ceiling;
  await journal.record({ kind: "marker", node, key: f.marker, original: await r.get(f.marker) });
  await journal.record({ kind: "filler", node, pattern: f.pattern });
  if (limit !== Number(maxOrig)) {
    await journal.record({ kind: "config", node, name: "maxmemory", original: maxOrig });
    await r.call("CONFIG", "SET", "maxmemory", String(limit));
  }
  if (f.policy && f.policy !== policyOrig) {
    await journal.record({ kind: "config", node, name: "maxmemory-policy", original: policyOrig });
    await r.call("CONFIG", "SET", "maxmemory-policy", f.policy);
  }
  const evictedBefore = infoNumber(await r.info("stats"), "evicted_keys");
  const chunk = "x".repeat(FILLER_CHUNK);
  let keys = 0;
  let usedNow = used;
  for (; keys < MAX_FILL_KEYS && usedNow < (limit * f.percent) / 100; keys++) {
    try {
      await r.set(`${f.keyPrefix}${keys}`, chunk, "PX", f.ttlMs);
    } catch (err) {
      if (/OOM/.test((err as Error).message)) break; // noeviction: the ceiling is reached
      throw err;
    }
    if (keys % 8 === 0) usedNow = await countedMemory(r);
  }
  const evicted = infoNumber(await r.info("stats"), "evicted_keys") - evictedBefore;
  return { maxmemory: limit, usedPercent: Math.round((usedNow / limit) * 100), keys, evicted };
}

/**
 * Deletes every key matching `pattern` on this node (SCAN, then UNLINK per page); how many. On a
 * Cluster the run's patterns carry one hash tag, so each page lives in one slot (no CROSSSLOT).
 */
export async function unlinkMatching(r: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = (await r.scan(cursor, "MATCH", pattern, "COUNT", 500)) as [string, string[]];
    cursor = next;
    if (keys.length) n += await r.unlink(...keys);
  } while (cursor !== "0");
  return n;
}
