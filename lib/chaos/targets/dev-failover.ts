import "server-only";
/**
 * failover on an opted-in dev stack, written once for both kinds: the stack is asked to hand its
 * master's role to a replica — SENTINEL FAILOVER for a Sentinel deployment, CLUSTER FAILOVER on
 * one shard's replica of a Redis Cluster — and the promotion is timed by asking the stack who is
 * master until another node is. The journal's restore fails back. Promotion is the check; where
 * the stack says how its layers must fare meanwhile, they are watched after it and judged.
 * An abort ends the wait at once (the restore follows, as on every ending).
 */
import type { CheckInput } from "../verdict";
import { REACT_WINDOW_S } from "./external-params";
import type { DevStackRunContext } from "./external-scenarios";
import { judgeLayers } from "./judge-layers";

/** A promotion takes a Sentinel election or a replica's handshake with its master: 30 s leaves room for a slow machine. */
export const PROMOTION_WAIT_MS = 30_000;

/** What the failover hands over, as the stack offers it. Step names are each stack's own (its runs have always said them so). */
export interface FailoverScope {
  /** The step that asks for the failover, and what it did, as the step's detail. */
  ask: { step: string; run(): Promise<string> };
  /** The step that waits; `promoted` says who is master now when it is not the old one (null: not yet). */
  wait: { step: string; promoted(): Promise<string | null>; everyMs: number; detail(promoted: string | null, ms: number | null): string };
  /** The promotion's check, its claim or shard and what it expects; observed is the wait's detail. */
  check: Pick<CheckInput, "claim" | "shard" | "expect">;
  /** How the layers must fare after the promotion; absent: not watched. */
  layers?: Parameters<typeof judgeLayers>[2];
}

export interface FailoverOutcome {
  /** The new master's address, or null when none took over in time. */
  promoted: string | null;
  /** From the ask's answer to the promotion seen (null: none). */
  ms: number | null;
}

/** Asks for the failover and waits for another master: the part data-integrity shares. */
export async function promote<T>(ctx: DevStackRunContext<T>, scope: Pick<FailoverScope, "ask" | "wait">): Promise<FailoverOutcome> {
  await ctx.step(
    scope.ask.step,
    () => scope.ask.run(),
    (detail) => detail,
  );
  const started = Date.now();
  return ctx.step(
    scope.wait.step,
    async (): Promise<FailoverOutcome> => {
      while (Date.now() - started < PROMOTION_WAIT_MS && !ctx.signal.aborted) {
        const promoted = await scope.wait.promoted().catch(() => null);
        if (promoted) return { promoted, ms: Date.now() - started };
        await new Promise((r) => setTimeout(r, scope.wait.everyMs));
      }
      return { promoted: null, ms: null };
    },
    (o) => scope.wait.detail(o.promoted, o.ms),
  );
}

/** The failover scenario: the promotion timed and checked, then the layers where the stack says how they must fare. */
export async function devStackFailover<T>(ctx: DevStackRunContext<T>, scope: FailoverScope): Promise<void> {
  const outcome = await promote(ctx, scope);
  ctx.run.metrics.failover_s = outcome.ms === null ? null : Math.round(outcome.ms / 10) / 100;
  ctx.check({ ...scope.check, observed: scope.wait.detail(outcome.promoted, outcome.ms), ok: outcome.promoted !== null } as CheckInput);
  if (!scope.layers) return;
  const after = await ctx.step(
    "watch the layers",
    () => ctx.sample(REACT_WINDOW_S * 1000),
    (h) => `${h.length} snapshots`,
  );
  judgeLayers(ctx, after, scope.layers);
}
