/**
 * Acknowledged writes lost per shard across a shard's failover, judged. On the shard that failed
 * over, a kill -9 loses what had not yet reached the replica (replication is asynchronous): at
 * most 1 s of writes is the bound held against it. A manual CLUSTER FAILOVER waits for the
 * replica to catch up, so it should lose none. The other shards' masters were not touched: they
 * should lose none. The guide's "1 s RPO" speaks of appendfsync on a machine crash, which a
 * promotion does not exercise. Pure.
 */
import { RPO_CLAIM_MS } from "../scenarios/rpo";
import type { CheckInput } from "../verdict";
import type { ShardReadBack } from "./sharded-writer";

export interface IntegrityFacts {
  shard: string;
  master: string;
  replica: string;
  mode: "kill" | "manual";
  faultAt: number;
  /** Acknowledged writes on the shard under test before the fault: without any, nothing was at stake. */
  ackedBeforeFault: number;
  readBack: Record<string, ShardReadBack>;
}

/** How long, in acknowledgement time, the lost writes span (0 for one or none). */
export function lossWindowMs(r: ShardReadBack): number {
  const acks = r.lost.map((w) => w.ackAt!).sort((a, b) => a - b);
  return acks.length ? acks[acks.length - 1] - acks[0] : 0;
}

export function lossLine(r: ShardReadBack, faultAt: number): string {
  if (r.error) return `read-back failed: ${r.error}`;
  if (!r.lost.length) return `none of ${r.acknowledged} acknowledged writes lost (${r.refused} refused)`;
  const last = Math.max(...r.lost.map((w) => w.ackAt!));
  const when = last <= faultAt ? `the last ${faultAt - last} ms before the fault` : `up to ${last - faultAt} ms after the fault`;
  return `${r.lost.length} of ${r.acknowledged} acknowledged writes lost, acknowledged over ${lossWindowMs(r)} ms (${when}); ${r.refused} refused`;
}

export const RPO_NOT_EXERCISED =
  "a promotion loses what had not reached the replica (asynchronous replication), not what was not fsynced: the guide's 1 s RPO (appendfsync everysec) speaks of a machine crash; measure it on the Sentinel sandbox started with --power-loss-aof";

export function judgeIntegrity(f: IntegrityFacts): CheckInput[] {
  const mine = f.readBack[f.shard];
  const checks: CheckInput[] = [];
  const unverified = !mine
    ? `no writes were made to ${f.shard}`
    : mine.error
      ? `the read-back did not complete: ${mine.error}`
      : f.ackedBeforeFault === 0
        ? `no write on ${f.shard} was acknowledged before the fault`
        : null;
  const observed = mine ? lossLine(mine, f.faultAt) : "no writes";
  if (f.mode === "kill") {
    const expect = `${f.shard}: at most ${RPO_CLAIM_MS / 1000} s of acknowledged writes lost when ${f.replica} is promoted after kill -9 of ${f.master} (asynchronous replication)`;
    checks.push(
      unverified
        ? { shard: f.shard, expect, observed, notExercised: unverified }
        : { shard: f.shard, expect, observed, ok: lossWindowMs(mine) <= RPO_CLAIM_MS },
    );
  } else {
    const expect = `${f.shard}: no acknowledged write lost in a manual CLUSTER FAILOVER to ${f.replica} (the replica catches up before it takes over)`;
    const base = { claim: "cluster-failover" as const, shard: f.shard, expect, observed };
    checks.push(unverified ? { ...base, notExercised: unverified } : { ...base, ok: mine.lost.length === 0 });
  }
  checks.push({
    claim: "rpo-1s",
    shard: f.shard,
    expect: `at most ${RPO_CLAIM_MS / 1000} s of acknowledged writes lost when the machine crashes (appendfsync everysec)`,
    observed,
    notExercised: RPO_NOT_EXERCISED,
  });
  const others = Object.entries(f.readBack).filter(([shard]) => shard !== f.shard);
  const expect = `no acknowledged write lost on the shards whose master was not touched (${others.map(([s]) => s).join(", ")})`;
  const failed = others.filter(([, r]) => r.error);
  const lost = others.reduce((n, [, r]) => n + r.lost.length, 0);
  const line = others.map(([s, r]) => `${s}: ${lossLine(r, f.faultAt)}`).join("; ");
  const base = { claim: "shard-isolation" as const, shard: "other shards", expect, observed: line };
  if (!others.length) checks.push({ ...base, notExercised: "the cluster has no other shard" });
  else if (failed.length) checks.push({ ...base, notExercised: `the read-back did not complete on ${failed.map(([s]) => s).join(", ")}` });
  else if (others.every(([, r]) => r.acknowledged === 0)) checks.push({ ...base, notExercised: "no write on the other shards was acknowledged" });
  else checks.push({ ...base, ok: lost === 0 });
  return checks;
}
