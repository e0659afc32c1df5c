import "server-only";
/**
 * outage on an opted-in dev stack, written once for both kinds: Redis paused (CLIENT PAUSE) for a
 * scope — every node of a Sentinel stack, or one shard's master of a Redis Cluster — and held,
 * then judged by the shared rules (lib/contract/verdict-rules.ts): for the whole deployment, each
 * layer's outage status by its contract; for one shard, the partial-fault rule (a layer's call may
 * or may not touch that shard) and, on the Redis side, what could fail: the shard served nothing
 * and the others kept serving. The journal's restore lifts the pause (CLIENT UNPAUSE).
 */
import { FAILURE_CONTRACT } from "../../contract/failure-contract";
import { keepsContractUnderPartialFault, outageExpectation } from "../../contract/verdict-rules";
import { REACT_WINDOW_S } from "./external-params";
import type { DevStackRunContext } from "./external-scenarios";
import { judgeLayers } from "./judge-layers";

/** One shard paused: its name, its master's address, whether each shard's master answers a new connection now. */
export interface PausedShard {
  name: string;
  master(): string;
  answering(): Promise<Map<string, boolean>>;
  /** How long a PING waited for an answer, for the check's words. */
  pingMs: number;
}

/** What the outage pauses, as the stack offers it. */
export interface OutageScope {
  /** The pause step's name (each stack's runs have always called it so). */
  step: string;
  /** CLIENT PAUSE for `ms` on the scope; what it did, as the step's detail. */
  pause(ms: number): Promise<string>;
  /** Set when the scope is one shard of a Redis Cluster; absent for the whole deployment. */
  shard?: PausedShard;
}

export async function devStackOutage<T>(ctx: DevStackRunContext<T>, scope: OutageScope): Promise<void> {
  const durationMs = Number(ctx.run.params.durationSeconds) * 1000;
  const ms = durationMs + REACT_WINDOW_S * 1000;
  const { shard } = scope;
  if (shard) ctx.run.metrics.shard = shard.name;
  await ctx.step(
    scope.step,
    () => scope.pause(ms),
    (detail) => detail,
  );
  await ctx.sample(REACT_WINDOW_S * 1000);
  const seen = shard
    ? await ctx.step(
        "look at every shard's master",
        () => shard.answering(),
        (m) => [...m].map(([s, ok]) => `${s} ${ok ? "answers" : "answers nothing"}`).join(", "),
      )
    : null;
  const held = await ctx.step(
    "hold the outage",
    () => ctx.sample(durationMs),
    (h) => `${h.length} snapshots`,
  );
  if (!shard || !seen) {
    judgeLayers(ctx, held, { claim: "outage-contract", expect: outageExpectation, keeps: (id, st) => st === FAILURE_CONTRACT[id].statusDuringOutage });
    return;
  }
  ctx.check({
    shard: shard.name,
    expect: `${shard.name}'s master ${shard.master()} serves nothing while paused`,
    observed: seen.get(shard.name) ? "it answered PING" : `no answer within ${shard.pingMs} ms`,
    ok: !seen.get(shard.name),
  });
  const others = [...seen].filter(([s]) => s !== shard.name);
  if (!others.length)
    ctx.check({ shard: "other shards", expect: "the other shards keep serving", observed: "no other shard", notExercised: "the cluster has one shard" });
  else
    ctx.check({
      shard: "other shards",
      expect: `the other shards' masters keep serving during ${shard.name}'s pause`,
      observed: others.map(([s, ok]) => `${s} ${ok ? "answered" : "did not answer"}`).join(", "),
      ok: others.every(([, ok]) => ok),
    });
  judgeLayers(ctx, held, {
    expect: (id) => `${id} ok, or ${outageExpectation(id)} (a call may or may not touch ${shard.name})`,
    keeps: keepsContractUnderPartialFault,
  });
}
