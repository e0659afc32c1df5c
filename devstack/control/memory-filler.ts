/**
 * Memory pressure on demand: filler keys (`chaos:filler:*`, each with the fault's TTL so they
 * vanish even if devstack dies) written to the master until its memory as maxmemory counts it
 * (info-fields.ts) reaches the target, Redis starts evicting, or the time bound passes. On a
 * cluster node the keys carry a hash tag of one of its own slots (cluster-filler.ts), given here
 * as `keyOf`.
 */
import crypto from "node:crypto";
import type Redis from "ioredis";
import type { FillResult } from "../../lib/contract/control-answers";
import { hashSlot } from "../../lib/contract/cluster-keys";
import { FILLER_PREFIX } from "../../lib/contract/failure-contract";
import { HttpError } from "../http/http-kit";
import { infoFields, memoryCountedForEviction } from "../../lib/contract/info-fields";
import type { RedisAuth } from "../redis-auth";
import { withRedis } from "../redis-client";

const VALUE_BYTES = 64 * 1024;
const KEYS_PER_BATCH = 16;

async function memoryOf(r: Redis): Promise<{ used: number; max: number; evicted: number }> {
  const memory = infoFields(await r.info("memory"));
  const stats = infoFields(await r.info("stats"));
  return { used: memoryCountedForEviction(memory), max: Number(memory.maxmemory), evicted: Number(stats.evicted_keys) };
}

/** The name of filler key `n` of fill `fill`. */
export type FillerKey = (fill: string, n: number) => string;
const plainFillerKey: FillerKey = (fill, n) => `${FILLER_PREFIX}${fill}:${n}`;

/** Fills the master at `port` towards `targetPercent` of maxmemory within `deadlineMs`. */
export async function fillMemory(
  port: number,
  auth: RedisAuth,
  targetPercent: number,
  ttlMs: number,
  deadlineMs = 15_000,
  keyOf: FillerKey = plainFillerKey,
): Promise<FillResult> {
  const started = Date.now();
  const fill = crypto.randomBytes(4).toString("hex");
  const value = Buffer.alloc(VALUE_BYTES, "x");
  return withRedis({ port, auth, timeoutMs: 3000 }, async (r) => {
    const first = await memoryOf(r);
    if (first.max === 0)
      throw new HttpError(409, "maxmemory is 0 (unlimited) on the master, so there is no pressure to create; start the stack with --maxmemory");
    const target = (targetPercent / 100) * first.max;
    let now = first;
    let keys = 0;
    while (now.used < target && now.evicted === first.evicted && Date.now() - started < deadlineMs) {
      const batch = Math.min(KEYS_PER_BATCH, Math.max(1, Math.ceil((target - now.used) / VALUE_BYTES)));
      const pipeline = r.pipeline();
      for (let i = 0; i < batch; i++) pipeline.set(keyOf(fill, keys++), value, "PX", ttlMs);
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([err]) => err);
      if (failed) throw failed[0];
      now = await memoryOf(r);
    }
    const percent = Math.round((now.used / now.max) * 1000) / 10;
    return {
      keysWritten: keys,
      usedMemory: now.used,
      maxmemory: now.max,
      percent,
      reachedTarget: now.used >= target,
      evicting: now.evicted > first.evicted,
      tookMs: Date.now() - started,
    };
  });
}

/** UNLINKs `keys` one hash slot at a time, in one round trip: a multi-key UNLINK across slots is CROSSSLOT on a cluster node. */
async function unlinkBySlot(r: Redis, keys: string[]): Promise<number> {
  const bySlot = new Map<number, string[]>();
  for (const key of keys) bySlot.set(hashSlot(key), [...(bySlot.get(hashSlot(key)) ?? []), key]);
  const pipeline = r.pipeline();
  for (const group of bySlot.values()) pipeline.unlink(...group);
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];
  return replies.reduce((sum, [, n]) => sum + Number(n), 0);
}

/** Deletes every filler key on the master at `port`; returns how many went. */
export async function removeFiller(port: number, auth: RedisAuth, deadlineMs = 10_000): Promise<number> {
  const started = Date.now();
  return withRedis({ port, auth, timeoutMs: 2000 }, async (r) => {
    let cursor = "0";
    let removed = 0;
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${FILLER_PREFIX}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) removed += await unlinkBySlot(r, keys);
    } while (cursor !== "0" && Date.now() - started < deadlineMs);
    return removed;
  });
}
