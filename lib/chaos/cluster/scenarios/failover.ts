import "server-only";
/**
 * failover on the cluster: one shard's master is killed -9 (its replica is promoted by the
 * cluster itself once the master is flagged FAIL) or its replica is told CLUSTER FAILOVER. The
 * run's own poll times the promotion (kill → FAIL flag → replica reports master → cluster_state
 * ok), the tenants' calls time each layer's recovery for the shard's tenants, and the other
 * shards' tenants are held to being served throughout.
 */
import { z } from "zod";
import { LAYER_IDS, type LayerId } from "../../../contract/failure-contract";
import { paramsInfo } from "../../param-info";
import { CLOSING_STEPS, PREFLIGHT_STEP, secondsBetween, type Scenario } from "../../scenario";
import type { ClusterControlClient as ClusterControl } from "../../../contract/cluster-control-client";
import {
  eventsSince,
  othersOf,
  samplesIn,
  ShardParam,
  STAGE_STEP,
  waitForSamples,
  withClusterStage,
  type ClusterRunContext,
  type ClusterStage,
} from "../cluster-stage";
import { watchPromotion, type Promotion } from "../promotion";
import { inSeconds, othersCheck, recoveredAt, relativeTo, tallyOutcomes } from "../shard-verdict";

export const FailoverModeParam = z
  .enum(["kill", "manual"], { message: 'mode must be "kill" (kill -9 the master) or "manual" (CLUSTER FAILOVER on its replica)' })
  .default("kill")
  .meta({ help: "kill -9 the shard's master (the cluster promotes its replica), or CLUSTER FAILOVER on the replica" });

const Params = z.strictObject({ shard: ShardParam, mode: FailoverModeParam });
type FailoverParams = z.infer<typeof Params>;

/** cluster-node-timeout (5 s in the sandbox) to flag FAIL, then the replica's election: 30 s leaves room for a slow 2-core machine. */
const PROMOTION_BOUND_S = 30;
/** Cluster clients learn the new master on their next MOVED or slot refresh. */
const CLIENT_RECOVERY_BOUND_S = 10;
const RECOVERY_WAIT_MS = 30_000;

/** Makes the fault; the epoch ms it was made at. */
async function failOver(ctx: ClusterRunContext<FailoverParams>, stage: ClusterStage): Promise<{ at: number; detail: string }> {
  const { master, replicas } = stage.target;
  const at = Date.now();
  if (ctx.params.mode === "kill") {
    await ctx.control.fault(master, "kill", 180);
    return { at, detail: `kill -9 ${master}, ${stage.target.name}'s master; its replica ${replicas.join(", ")} is left to the cluster` };
  }
  const answer = await ctx.control.failover(replicas[0], "default");
  ctx.metric("control_failover_s", answer.seconds);
  return {
    at,
    detail: `CLUSTER FAILOVER on ${answer.node} (the sandbox saw it master ${inSeconds(answer.seconds * 1000)} after, taking over from ${answer.promotedFrom ?? master})`,
  };
}

function promotionCheck(ctx: ClusterRunContext<FailoverParams>, stage: ClusterStage, faultAt: number, p: Promotion): void {
  const { name, master, replicas } = stage.target;
  const s = (t: number | null) => (t === null ? null : secondsBetween(faultAt, t));
  const text = (t: number | null) => (t === null ? "—" : inSeconds(t - faultAt));
  ctx.metric("fail_flagged_s", s(p.failFlaggedAt));
  ctx.metric("promotion_s", s(p.promotedAt));
  ctx.metric("cluster_ok_s", s(p.okAt));
  const expect =
    ctx.params.mode === "kill"
      ? `${name}'s replica (${replicas.join(", ")}) is promoted and cluster_state is ok on every answering node within ${PROMOTION_BOUND_S} s of kill -9 of its master ${master}`
      : `CLUSTER FAILOVER makes ${replicas[0]} ${name}'s master, with cluster_state ok on every node, within ${PROMOTION_BOUND_S} s`;
  const flagged =
    p.failFlaggedAt === null
      ? ctx.params.mode === "kill"
        ? "; no node was seen flagging it FAIL"
        : ""
      : `; ${master} flagged FAIL after ${text(p.failFlaggedAt)}`;
  // The sandbox answers CLUSTER FAILOVER once it sees the replica master; a replica that then turns back (its election was undone) is not a promotion.
  const sandboxSaw =
    typeof ctx.run.metrics.control_failover_s === "number"
      ? `; the sandbox saw ${replicas[0]} master ${ctx.run.metrics.control_failover_s} s after CLUSTER FAILOVER, but it did not stay master`
      : "";
  const observed = !p.promoted
    ? `no replica reported itself master within ${PROMOTION_BOUND_S} s${flagged}${sandboxSaw}; last seen: ${p.lastSeen ?? "—"}`
    : `${p.promoted} reported itself master after ${text(p.promotedAt)}${flagged}; ` +
      (p.okAt === null ? "cluster_state was not ok everywhere in time" : `cluster_state ok on every answering node after ${text(p.okAt)}`);
  ctx.check({ claim: "cluster-failover", shard: name, expect, observed, ok: p.okAt !== null && s(p.okAt)! <= PROMOTION_BOUND_S });
}

function recoveryCheck(ctx: ClusterRunContext<FailoverParams>, stage: ClusterStage, layer: LayerId, faultAt: number, okAt: number | null): void {
  const name = stage.target.name;
  const mine = samplesIn(stage, faultAt).filter((s) => s.layer === layer && s.shard === name);
  const failing = mine.filter((s) => s.kind !== "normal" && s.kind !== "lost");
  const at = recoveredAt(mine);
  ctx.metric(`recovery_${layer}_s`, failing.length && at !== null ? secondsBetween(faultAt, at) : null);
  const during = failing.length ? `failing calls: ${tallyOutcomes(failing)}` : "no call failed";
  if (ctx.params.mode === "manual") {
    const expect = `${layer} serves ${name}'s tenants throughout the manual failover (no call fails)`;
    return ctx.check({ claim: "cluster-failover", layer, shard: name, expect, observed: `${during} of ${mine.length}`, ok: failing.length === 0 });
  }
  const expect = `${layer} serves ${name}'s tenants normally again within ${CLIENT_RECOVERY_BOUND_S} s of cluster_state ok`;
  const afterOk = at !== null && okAt !== null ? secondsBetween(okAt, at) : null;
  const observed =
    at === null
      ? `${during}; not normal again within ${RECOVERY_WAIT_MS / 1000} s`
      : `${during}; normal again ${inSeconds(at - faultAt)} after the kill` +
        (okAt === null ? "" : ` (${relativeTo(at, okAt, "cluster_state ok everywhere")})`);
  if (!failing.length)
    return ctx.check({
      claim: "cluster-failover",
      layer,
      shard: name,
      expect,
      observed,
      notExercised: `${layer} never failed ${name}'s tenants, so there was nothing to recover from`,
    });
  ctx.check({ claim: "cluster-failover", layer, shard: name, expect, observed, ok: afterOk !== null && afterOk <= CLIENT_RECOVERY_BOUND_S });
}

export const clusterFailover: Scenario<FailoverParams, ClusterControl> = {
  info: {
    id: "failover",
    title: "Shard failover",
    description:
      "One shard's master killed -9 (the cluster promotes its replica) or a CLUSTER FAILOVER on the replica. Times the promotion and each layer's recovery for that shard's tenants; the other shards' tenants are held to being served throughout.",
    claims: ["cluster-failover", "shard-isolation"],
    params: paramsInfo(Params),
    steps: [PREFLIGHT_STEP, STAGE_STEP, "fail the shard's master over", "wait for the promotion", "wait for the layers to recover", ...CLOSING_STEPS],
  },
  params: Params,
  run: (ctx) =>
    withClusterStage(ctx, async (stage) => {
      stage.traffic.start();
      const { at: faultAt } = await ctx.step(
        "fail the shard's master over",
        () => failOver(ctx, stage),
        (r) => r.detail,
      );
      const promotion = await ctx.step(
        "wait for the promotion",
        () => watchPromotion(ctx, stage, faultAt, PROMOTION_BOUND_S * 1000),
        (p) => (p.promoted ? `${p.promoted} is master of ${stage.target.name}` : "no promotion seen"),
      );
      promotionCheck(ctx, stage, faultAt, promotion);
      const recovered = () =>
        LAYER_IDS.every(
          (l) =>
            recoveredAt(samplesIn(stage, Math.max(faultAt, promotion.okAt ?? faultAt)).filter((s) => s.layer === l && s.shard === stage.target.name)) !== null,
        );
      await ctx.step("wait for the layers to recover", async () => {
        const healed = promotion.okAt !== null && (await waitForSamples(ctx, stage, recovered, RECOVERY_WAIT_MS));
        // One more round, so "normal again" is seen twice, not once by chance; then every call in flight is in.
        if (healed) await stage.traffic.round();
        await stage.traffic.stop();
        // The other shards are judged over the whole disruption: from the fault until the shard's tenants were served again.
        const until = Date.now();
        for (const layer of LAYER_IDS) recoveryCheck(ctx, stage, layer, faultAt, promotion.okAt);
        for (const layer of LAYER_IDS)
          ctx.check(
            othersCheck(
              layer,
              othersOf(layer === "L3" ? stage.sessions : stage.tenants, stage.target.name),
              samplesIn(stage, faultAt, until),
              eventsSince(stage, faultAt),
            ),
          );
        if (!healed) throw new Error(`${stage.target.name}'s tenants were not all served normally within ${RECOVERY_WAIT_MS / 1000} s of the promotion`);
      });
    }),
};
