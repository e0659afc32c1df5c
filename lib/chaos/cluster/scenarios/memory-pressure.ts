import "server-only";
/**
 * memory-pressure on one shard: L3 sessions and L2 cache entries are written through the
 * layers (they land on every shard by their hash tags), then one shard's master is filled
 * towards maxmemory with filler in its own slots. What allkeys-lru evicted there is counted per
 * key class, the seeded sessions are read back as tenants would, and the other shards are held
 * to being untouched (no eviction, every session readable).
 */
import { z } from "zod";
import { holdSeconds } from "../../scenarios/hold-params";
import { infoFields } from "../../../redis/info";
import { paramsInfo } from "../../param-info";
import { CLOSING_STEPS, PREFLIGHT_STEP, type Scenario } from "../../scenario";
import { evictedKeys, keysGone, takeCensus, workingSetSize, type KeyCensus } from "../../scenarios/key-census";
import { completionCache, createSession, inPool, sessionFate } from "../../scenarios/tenant-calls";
import type { ClusterControlClient as ClusterControl } from "../../../contract/cluster-control-client";
import { ShardParam, STAGE_STEP, withClusterStage, type ClusterRunContext, type ClusterStage } from "../cluster-stage";
import { judgeShardPressure, type ShardPressure } from "../pressure-verdict";
import { sessionsByShard } from "../shard-tenants";

const Params = z.strictObject({
  shard: ShardParam,
  targetPercent: z
    .number({ message: "targetPercent (of maxmemory) must be a number" })
    .min(50, "targetPercent must be at least 50")
    .max(100, "targetPercent must be at most 100")
    .default(100)
    .meta({ unit: "%", help: "fill the shard's master to this share of maxmemory; at 100 the fill goes on until it has evicted half the keys it held" }),
  durationSeconds: holdSeconds("how long the pressure holds"),
  seeds: z
    .number({ message: "seeds must be a number" })
    .int()
    .min(30, "seeds must be at least 30 (about 10 per shard)")
    .max(1500, "seeds must be at most 1500")
    .default(150)
    .meta({ help: "L3 sessions, and L2 cache entries, written before the fill (spread over every shard by their hash tags)" }),
});
type MemoryParams = z.infer<typeof Params>;

const MAX_FILLS = 40;
/** The filler outlives the fill and the hold by this much at most, also when the console dies mid-run. */
const FILLER_MARGIN_S = 60;

type Censuses = Record<string, KeyCensus>;

async function census(stage: ClusterStage): Promise<Censuses> {
  const out: Censuses = {};
  for (const s of stage.shards) out[s.name] = await takeCensus(await stage.reader.ready(s.master));
  return out;
}

async function seed(ctx: ClusterRunContext<MemoryParams>, stage: ClusterStage): Promise<Record<string, string[]>> {
  const tenants = Object.values(stage.tenants).flat();
  const n = ctx.params.seeds;
  const ids = await inPool(
    Array.from({ length: n }, (_, i) => tenants[i % tenants.length]),
    (t) => createSession(stage.urls.L3, t, "memory-pressure"),
  );
  const outcomes = await inPool(
    Array.from({ length: n }, (_, i) => i),
    (i) => completionCache(stage.urls.L2, tenants[i % tenants.length], `cluster memory-pressure ${ctx.run.id} entry ${i}`),
  );
  const unfilled = outcomes.filter((o) => o !== "miss").length;
  if (unfilled) throw new Error(`${unfilled} of ${n} L2 seed completions did not fill the cache (first: ${outcomes.find((o) => o !== "miss")})`);
  return sessionsByShard(stage.shards, ids);
}

/** Fills until the target, or at 100 % until half of the keys the master held are evicted (one fill often stops short of evicting). */
async function fill(ctx: ClusterRunContext<MemoryParams>, stage: ClusterStage, before: KeyCensus): Promise<Omit<ShardPressure, "gone" | "otherEvictions">> {
  const { targetPercent, durationSeconds } = ctx.params;
  const redis = await stage.reader.ready(stage.target.master);
  const goal = targetPercent === 100 ? Math.max(1, Math.ceil(workingSetSize(before) / 2)) : 0;
  let fills = 0;
  let evicted = 0;
  let reached = false;
  do {
    if (fills) await ctx.watch(250);
    const answer = await ctx.control.fill(stage.target.master, targetPercent, durationSeconds + FILLER_MARGIN_S);
    fills++;
    reached ||= (answer.percent ?? 0) >= targetPercent;
    evicted = (await evictedKeys(redis)) - before.evictedKeys;
  } while (evicted < goal && fills < MAX_FILLS);
  const memory = infoFields(await redis.info("memory"));
  const percent = Number(memory.maxmemory) ? Math.round((Number(memory.used_memory) / Number(memory.maxmemory)) * 100) : null;
  return {
    master: stage.target.master,
    shard: stage.target.name,
    atCeiling: targetPercent === 100,
    targetPercent,
    fills,
    evicted,
    goal,
    percent,
    reachedTarget: reached,
  };
}

export const clusterMemoryPressure: Scenario<MemoryParams, ClusterControl> = {
  info: {
    id: "memory-pressure",
    title: "Memory pressure on one shard",
    description:
      "L3 sessions and L2 cache entries on every shard, then one shard's master filled towards maxmemory. Counts what allkeys-lru evicted there per key class, reads the sessions back, and checks the other shards were not touched.",
    claims: ["sessions-preserved", "shard-isolation"],
    params: paramsInfo(Params),
    steps: [
      PREFLIGHT_STEP,
      STAGE_STEP,
      "seed sessions and cache entries",
      "count keys per shard",
      "fill the shard's master",
      "hold under pressure",
      "count keys and evictions per shard",
      "lift the pressure",
      "check the seeded sessions",
      ...CLOSING_STEPS,
    ],
  },
  params: Params,
  run: (ctx) =>
    withClusterStage(ctx, async (stage) => {
      const seeded = await ctx.step(
        "seed sessions and cache entries",
        () => seed(ctx, stage),
        (g) =>
          `${ctx.params.seeds} sessions (${Object.entries(g)
            .map(([s, ids]) => `${s}: ${ids.length}`)
            .join(", ")}) and ${ctx.params.seeds} cache entries`,
      );
      const before = await ctx.step(
        "count keys per shard",
        () => census(stage),
        (c) =>
          Object.entries(c)
            .map(([s, k]) => `${s} ${k.total} keys`)
            .join(", "),
      );
      const filled = await ctx.step(
        "fill the shard's master",
        () => fill(ctx, stage, before[stage.target.name]),
        (f) => `${stage.target.master} at ${f.percent ?? "?"}% of maxmemory after ${f.fills} fill(s); ${f.evicted} keys evicted`,
      );
      await ctx.step("hold under pressure", () => ctx.watch(ctx.params.durationSeconds * 1000));
      const after = await ctx.step(
        "count keys and evictions per shard",
        () => census(stage),
        (c) =>
          Object.entries(c)
            .map(([s, k]) => `${s} ${k.evictedKeys - before[s].evictedKeys} evicted`)
            .join(", "),
      );
      await ctx.step(
        "lift the pressure",
        () => ctx.control.removeFiller(),
        () => "filler removed, so reading a session back cannot evict another",
      );
      const fates = await ctx.step(
        "check the seeded sessions",
        async () =>
          Object.fromEntries(
            await Promise.all(Object.entries(seeded).map(async ([s, ids]) => [s, await inPool(ids, (id) => sessionFate(stage.urls.L3, id))] as const)),
          ),
        (f) =>
          Object.entries(f)
            .map(([s, r]) => `${s}: ${r.filter((x) => x === "lost").length}/${r.length} lost`)
            .join(", "),
      );
      const name = stage.target.name;
      const pressure: ShardPressure = {
        ...filled,
        evicted: after[name].evictedKeys - before[name].evictedKeys,
        gone: keysGone(before[name], after[name]),
        otherEvictions: Object.fromEntries(stage.others.map((s) => [`${s.name} (${s.master})`, after[s.name].evictedKeys - before[s.name].evictedKeys])),
      };
      for (const [k, v] of Object.entries(pressure.gone)) if (v > 0) ctx.metric(`gone_${k.replace(/:$/, "").replace(/:/g, "_")}`, v);
      ctx.metric("fill_percent", filled.percent);
      ctx.metric("evicted_keys", pressure.evicted);
      ctx.metric(
        "evicted_other_shards",
        Object.values(pressure.otherEvictions).reduce((a, b) => a + b, 0),
      );
      for (const c of judgeShardPressure(pressure, fates)) ctx.check(c);
    }),
};
