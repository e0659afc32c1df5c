import "server-only";
/**
 * memory-pressure: sessions and cache entries are written through L3 and L2 (an older half,
 * then a newer one), the master is filled towards maxmemory, and what allkeys-lru evicted is
 * counted per key owner and checked as a tenant sees it. Tests the guide's "session data
 * preserved" and "oldest cache entries evicted first" — allkeys-lru may evict any key.
 */
import type Redis from "ioredis";
import { z } from "zod";
import { holdSeconds } from "./hold-params";
import { paramsInfo } from "../param-info";
import type { RunContext } from "../run-context";
import { CLOSING_STEPS, PREFLIGHT_STEP, type Scenario } from "../scenario";
import { judgeLruOrder, judgeSessions, type Verdict } from "./eviction-verdict";
import { evictedKeys, keysGone, takeCensus, workingSetSize, type KeyCensus } from "./key-census";
import { cacheFates, plantHalf, sessionFates, type SeedFates, type SeedHalf } from "./memory-seeds";
import { currentMaster, typicalStatuses } from "./snapshot-facts";
import { fillMemory, type FillResult } from "./workloads";

const Params = z.strictObject({
  targetPercent: z
    .number({ message: "targetPercent (of maxmemory) must be a number" })
    .min(50, "targetPercent must be at least 50")
    .max(100, "targetPercent must be at most 100")
    .default(100)
    .meta({ unit: "%", help: "fill to this share of maxmemory; at 100 the fill goes on until Redis has evicted half the keys it held" }),
  durationSeconds: holdSeconds("how long the pressure holds"),
  seeds: z
    .number({ message: "seeds must be a number" })
    .int()
    .min(20, "seeds must be at least 20 (two halves of 10)")
    .max(2000, "seeds must be at most 2000")
    .default(200)
    .meta({ help: "sessions, and cache entries, written before the fill (half older, half newer)" }),
});
type MemoryParams = z.infer<typeof Params>;

/** Redis's LRU clock ticks once a second: halves written 2.5 s apart are told apart. */
const LRU_GAP_MS = 2500;
/** Bounds the top-ups at 100 %: each writes ~1 MB and takes a few ms. */
const MAX_FILLS = 40;
/** The filler outlives the fill and the hold by this much at most, also when the console dies mid-run. */
const FILLER_MARGIN_S = 60;

type Filled = FillResult & { fills: number; evicted: number; goal: number };

/**
 * Below 100 % one fill to the target. At 100 % one fill often ends before Redis evicts (replica
 * and AOF buffers count in used_memory, not for eviction), and a little eviction only takes the
 * stalest keys; so the fill tops up until Redis has evicted half the keys it held before.
 */
async function fill(ctx: RunContext<MemoryParams>, redis: Redis, before: KeyCensus): Promise<Filled> {
  const { targetPercent, durationSeconds } = ctx.params;
  const goal = targetPercent === 100 ? Math.max(1, Math.ceil(workingSetSize(before) / 2)) : 0;
  let result = await fillMemory(ctx.control, targetPercent, durationSeconds + FILLER_MARGIN_S);
  let fills = 1;
  let evicted = (await evictedKeys(redis)) - before.evictedKeys;
  while (evicted < goal && fills < MAX_FILLS) {
    await ctx.watch(250);
    result = await fillMemory(ctx.control, targetPercent, durationSeconds + FILLER_MARGIN_S);
    fills++;
    evicted = (await evictedKeys(redis)) - before.evictedKeys;
  }
  return { ...result, fills, evicted, goal };
}

function verdictCheck(ctx: RunContext<MemoryParams>, claim: "sessions-preserved" | "lru-oldest-first", expect: string, v: Verdict): void {
  if (v.exercised) ctx.check({ claim, expect, observed: v.why, ok: v.ok });
  // Without evictions the claim says nothing: not exercised, never held by default.
  else ctx.check({ claim, expect, observed: v.why, notExercised: v.why });
}

function fatesLine(f: SeedFates, what: string): string {
  return `${what} lost: older ${f.older.lost}/${f.older.seeded}, newer ${f.newer.lost}/${f.newer.seeded}${f.unclear ? `, ${f.unclear} unclear answers` : ""}`;
}

export const memoryPressure: Scenario<MemoryParams> = {
  info: {
    id: "memory-pressure",
    title: "Memory pressure",
    description:
      "L3 sessions and L2 cache entries (older, then newer), then the master filled towards maxmemory. Counts evictions per key owner and checks which sessions and cache entries survived.",
    claims: ["sessions-preserved", "lru-oldest-first"],
    params: paramsInfo(Params),
    steps: [
      PREFLIGHT_STEP,
      "seed sessions and cache entries",
      "count keys by owner",
      "fill memory",
      "hold under pressure",
      "count keys and evictions",
      "lift the pressure",
      "check the seeded sessions",
      "check the seeded cache entries",
      ...CLOSING_STEPS,
    ],
  },
  params: Params,
  async run(ctx) {
    const urls = { l2: ctx.layerUrl("L2"), l3: ctx.layerUrl("L3") };
    const half = Math.floor(ctx.params.seeds / 2);
    const redis = ctx.nodeClient(currentMaster(ctx.snapshot()).id);
    const seeds = await ctx.step(
      "seed sessions and cache entries",
      async () => {
        const older = await plantHalf(urls, ctx.run.id, "older", half);
        await ctx.watch(LRU_GAP_MS);
        return { older, newer: await plantHalf(urls, ctx.run.id, "newer", half) };
      },
      () => `${half} older then ${half} newer L3 sessions and L2 cache entries, ${LRU_GAP_MS / 1000} s apart`,
    );

    const before = await ctx.step(
      "count keys by owner",
      () => takeCensus(redis),
      (c) => `${c.total} keys${c.complete ? "" : " (scan bounded)"}`,
    );
    const filled = await ctx.step(
      "fill memory",
      () => fill(ctx, redis, before),
      (f) =>
        `${f.percent}% of maxmemory after ${f.fills} fill(s); ${f.evicted} keys evicted${f.goal ? ` (goal: half of the ${workingSetSize(before)} keys held before)` : ""}`,
    );
    const held = await ctx.step(
      "hold under pressure",
      () => ctx.watch(ctx.params.durationSeconds * 1000),
      (h) => `layers mostly ${typicalStatuses(h)}`,
    );
    ctx.metric("layer_status_during", typicalStatuses(held));
    const after = await ctx.step(
      "count keys and evictions",
      () => takeCensus(redis),
      (c) => `${c.evictedKeys - before.evictedKeys} keys evicted; ${c.total} keys left`,
    );
    const evicted = after.evictedKeys - before.evictedKeys;
    recordCensus(ctx, before, after, filled, evicted);

    await ctx.step(
      "lift the pressure",
      () => ctx.control.call("DELETE", "/memory/filler"),
      () => "filler removed, so checking a cache entry cannot evict another",
    );
    const sessions = await ctx.step(
      "check the seeded sessions",
      () => sessionFates(urls.l3, seeds.older, seeds.newer),
      (f) => fatesLine(f, "sessions"),
    );
    const cache = await ctx.step(
      "check the seeded cache entries",
      () => cacheFates(urls.l2, ctx.run.id, seeds.older, seeds.newer),
      (f) => fatesLine(f, "cache entries"),
    );
    judge(ctx, filled, evicted, sessions, cache, seeds);
  },
};

function recordCensus(ctx: RunContext<MemoryParams>, before: KeyCensus, after: KeyCensus, filled: Filled, evicted: number): void {
  ctx.metric("fill_percent", filled.percent);
  ctx.metric("fills", filled.fills);
  ctx.metric("evicted_keys", evicted);
  ctx.metric("keys_before", before.total);
  ctx.metric("keys_after", after.total);
  for (const [prefix, n] of Object.entries(keysGone(before, after))) if (n > 0) ctx.metric(`gone_${prefix.replace(/:$/, "").replace(/:/g, "_")}`, n);
}

function judge(ctx: RunContext<MemoryParams>, filled: Filled, evicted: number, sessions: SeedFates, cache: SeedFates, seeds: { older: SeedHalf }): void {
  const atCeiling = ctx.params.targetPercent === 100;
  ctx.metric("sessions_lost_older", sessions.older.lost);
  ctx.metric("sessions_lost_newer", sessions.newer.lost);
  ctx.metric("cache_lost_older", cache.older.lost);
  ctx.metric("cache_lost_newer", cache.newer.lost);
  // The pressure itself is the premise: without it the run tested nothing, which is not a refutation.
  const pressured = atCeiling ? evicted > 0 : filled.reachedTarget;
  const fillCheck = {
    expect: atCeiling
      ? `memory filled until Redis evicts (aiming at half the keys it held: ${filled.goal})`
      : `memory filled to ${ctx.params.targetPercent}% of maxmemory`,
    observed: `${filled.percent}% of maxmemory after ${filled.fills} fill(s); ${evicted} keys evicted${atCeiling && filled.evicted < filled.goal ? `, short of the aim after ${MAX_FILLS} fills` : ""}`,
  };
  if (pressured) ctx.check({ ...fillCheck, ok: true });
  else
    ctx.check({
      ...fillCheck,
      notExercised: atCeiling ? `Redis evicted nothing after ${filled.fills} fill(s)` : `the fill stopped at ${filled.percent}% of maxmemory`,
    });
  verdictCheck(
    ctx,
    "sessions-preserved",
    `all ${seeds.older.sessions.length * 2} seeded L3 sessions still readable under memory pressure`,
    judgeSessions(sessions.older, sessions.newer, evicted),
  );
  verdictCheck(
    ctx,
    "lru-oldest-first",
    "older cache entries evicted before newer ones",
    evicted > 0 ? judgeLruOrder(cache.older, cache.newer) : { exercised: false, why: "Redis evicted nothing" },
  );
}
