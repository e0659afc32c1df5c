import "server-only";
/**
 * memory-pressure on an opted-in dev stack, written once for both kinds: filler keys (with TTLs,
 * under the run's prefix) until Redis evicts or refuses writes, for a scope — the master of a
 * Sentinel stack, or one shard's master of a Redis Cluster, inside that shard's slots — held, then
 * checked: the fill reached the target, and for a shard no eviction on the others. The claims
 * about seeded sessions and cache entries are not exercised (the console does not own the key
 * layout). The journal's restore puts maxmemory and the policy back and deletes the filler.
 */
import type { FillResult } from "./fill";
import { CLAIMS } from "../types";
import type { CheckInput } from "../verdict";
import type { DevStackRunContext } from "./external-scenarios";

/** What the fill acts on, as the stack offers it. */
export interface FillScope<R extends FillResult> {
  /** The fill step's name (each stack's runs have always called it so). */
  step: string;
  fill(percent: number, ttlMs: number, policy: string | undefined): Promise<R>;
  /** The fill step's detail. */
  describe(r: R): string;
  /** Set when the scope is one shard of a Redis Cluster: evicted keys per shard master now. */
  shard?: { name: string; evictedByShard(): Promise<Map<string, number>> };
}

export async function devStackMemoryPressure<T, R extends FillResult>(ctx: DevStackRunContext<T>, scope: FillScope<R>): Promise<void> {
  const { shard } = scope;
  const holdMs = Number(ctx.run.params.durationSeconds) * 1000;
  const target = Number(ctx.run.params.targetPercent);
  if (shard) ctx.run.metrics.shard = shard.name;
  const before = shard ? await shard.evictedByShard() : null;
  const f = await ctx.step(
    scope.step,
    () => scope.fill(target, holdMs + 30_000, ctx.run.params.policy as string | undefined),
    (r) => scope.describe(r),
  );
  ctx.run.metrics.evicted_keys = f.evicted;
  ctx.run.metrics.fill_percent = f.usedPercent;
  await ctx.step(
    "hold under pressure",
    () => ctx.sample(holdMs),
    (h) => `${h.length} snapshots`,
  );
  const where = shard ? { shard: shard.name } : {};
  const expect = shard ? `${shard.name} filled until Redis evicts or refuses writes` : "memory filled until Redis evicts or refuses writes";
  if (f.evicted > 0 || f.usedPercent >= target)
    ctx.check({ ...where, expect, observed: `${f.usedPercent}% of maxmemory, ${f.evicted} keys evicted`, ok: true });
  else ctx.check({ ...where, expect, observed: `${f.usedPercent}% of maxmemory`, notExercised: "the fill did not reach the target" });
  if (shard && before) {
    const after = await shard.evictedByShard();
    const elsewhere = [...after].filter(([s]) => s !== shard.name).map(([s, n]) => [s, n - (before.get(s) ?? n)] as const);
    if (elsewhere.length)
      ctx.check({
        shard: "other shards",
        expect: `the fill stays in ${shard.name}'s slots: no eviction on the other shards`,
        observed: elsewhere.map(([s, n]) => `${s} ${n} evicted`).join(", "),
        ok: elsewhere.every(([, n]) => n === 0),
      });
  }
  unseededClaims(ctx.check);
}

/** Memory pressure's claims about seeded sessions and cache entries: not exercised on a stack the console does not own. */
function unseededClaims(check: (c: CheckInput) => void): void {
  for (const claim of ["sessions-preserved", "lru-oldest-first"] as const)
    check({
      claim,
      expect: CLAIMS[claim],
      observed: "not seeded",
      notExercised:
        "seeded sessions and cache entries go through the sandbox's L2/L3 stand-ins; on an external target their key layout is not known to the console",
    });
}
