import "server-only";
/**
 * outage on the cluster: one shard goes away completely (its master and its replica killed -9
 * or frozen, so no replica is left to promote). The tenants whose keys live there are held to
 * the failure contract, the tenants on the other shards to "served normally" — with Redis's
 * default cluster-require-full-coverage yes the whole cluster stops once the shard is flagged
 * FAIL, and the checks say so. Then the shard comes back and each layer's recovery is timed.
 */
import { z } from "zod";
import { holdSeconds } from "../../scenarios/hold-params";
import { LAYER_IDS } from "../../../contract/failure-contract";
import { MISBEHAVE_MODES } from "../../../contract/misbehave-modes";
import { misbehavingLayers, MisbehaveParam } from "../../scenarios/misbehave-param";
import { REACTION_GRACE_SECONDS, RECOVERY_CLAIM_SECONDS, recoveryHeld } from "../../../contract/verdict-rules";
import { formatSlots } from "../../../contract/cluster-info";
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
import { everyAnsweringOk } from "../shard-map";
import type { CheckInput } from "../../verdict";
import { affectedCheck, inSeconds, othersCheck, recoveredAt } from "../shard-verdict";

const Params = z.strictObject({
  shard: ShardParam,
  mode: z
    .enum(["kill", "freeze"], { message: 'mode must be "kill" or "freeze"' })
    .default("kill")
    .meta({ help: "kill -9 the shard's master and its replica, or SIGSTOP both: no replica is left to promote" }),
  misbehave: MisbehaveParam,
  durationSeconds: holdSeconds("how long the shard stays down after its tenants saw it"),
});
type OutageParams = z.infer<typeof Params>;

const REACT_WAIT_MS = REACTION_GRACE_SECONDS.waited * 1000;
const RECOVERY_WAIT_MS = 60_000;

/** Every layer showed the contract's behaviour to the shard's tenants at least once since the fault. */
const sawContract = (stage: ClusterStage, since: number) => (samples: ClusterStage["traffic"]["samples"]) =>
  LAYER_IDS.every((l) => samples.some((s) => s.at >= since && s.layer === l && s.shard === stage.target.name && s.kind === "contract"));

/** Every layer serves the shard's tenants normally again, and the cluster says ok. */
function recovered(stage: ClusterStage, since: number): boolean {
  const last = stage.poll.looks[stage.poll.looks.length - 1];
  const ok = !!last && last.at >= since && everyAnsweringOk(last) && last.nodes.every((n) => n.answering);
  return ok && LAYER_IDS.every((l) => recoveredAt(samplesIn(stage, since).filter((s) => s.layer === l && s.shard === stage.target.name)) !== null);
}

/** Waits for every layer to serve the shard's tenants again (then stops the traffic); the recovery checks, for the caller to record. */
async function measureRecovery(
  ctx: ClusterRunContext<OutageParams>,
  stage: ClusterStage,
  faultAt: number,
  undoneAt: number,
): Promise<{ healed: boolean; checks: CheckInput[] }> {
  const healed = await waitForSamples(ctx, stage, () => recovered(stage, undoneAt), RECOVERY_WAIT_MS);
  // One more round, so "normal again" is seen twice, not once by chance; then every call in flight is in.
  if (healed) await stage.traffic.round();
  await stage.traffic.stop();
  const okLook = stage.poll.firstSince(undoneAt, (l) => everyAnsweringOk(l) && l.nodes.every((n) => n.answering));
  ctx.metric("cluster_ok_after_return_s", okLook ? secondsBetween(undoneAt, okLook.at) : null);
  const name = stage.target.name;
  const checks: CheckInput[] = [];
  for (const layer of LAYER_IDS) {
    const mine = (from: number, to?: number) => samplesIn(stage, from, to).filter((s) => s.layer === layer && s.shard === name);
    const at = recoveredAt(mine(undoneAt));
    const secs = at === null ? null : secondsBetween(undoneAt, at);
    ctx.metric(`recovery_${layer}_s`, secs);
    const expect = `${layer} serves ${name}'s tenants normally again within ${RECOVERY_CLAIM_SECONDS} s of the shard's nodes coming back`;
    const observed =
      secs === null
        ? `not normal within ${RECOVERY_WAIT_MS / 1000} s`
        : `normal again after ${inSeconds(at! - undoneAt)}${okLook ? ` (cluster_state ok everywhere after ${inSeconds(okLook.at - undoneAt)})` : ""}`;
    // A layer its tenants never saw failing had nothing to recover from.
    if (!mine(faultAt, undoneAt).some((s) => s.kind !== "normal"))
      checks.push({ claim: "recovery-2-3s", layer, shard: name, expect, observed, notExercised: `${layer} never failed ${name}'s tenants during the outage` });
    else checks.push({ claim: "recovery-2-3s", layer, shard: name, expect, observed, ok: recoveryHeld(secs) });
  }
  return { healed, checks };
}

/** The shard's tenants against the contract over the hold; the other shards' against "served normally" over the whole fault. */
function judgeOutage(ctx: ClusterRunContext<OutageParams>, stage: ClusterStage, faultAt: number, holdFrom: number, undoneAt: number): void {
  const events = eventsSince(stage, faultAt);
  ctx.metric("cluster_fail_s", events.clusterFailAt === null ? null : secondsBetween(faultAt, events.clusterFailAt));
  const name = stage.target.name;
  const held = samplesIn(stage, holdFrom, undoneAt);
  for (const layer of LAYER_IDS) ctx.check(affectedCheck(layer, name, layer === "L3" ? stage.sessions[name] : stage.tenants[name], held));
  for (const layer of LAYER_IDS)
    ctx.check(othersCheck(layer, othersOf(layer === "L3" ? stage.sessions : stage.tenants, name), samplesIn(stage, faultAt, undoneAt), events));
}

export const clusterOutage: Scenario<OutageParams, ClusterControl> = {
  info: {
    id: "outage",
    title: "One shard down",
    description:
      "One shard's master and replica killed -9 or frozen, so nothing can take its slots. Tenants on that shard are held to the failure contract, tenants on the other shards to being served normally; then recovery is timed per layer.",
    claims: ["outage-contract", "shard-isolation", "recovery-2-3s"],
    params: paramsInfo(Params),
    steps: [
      PREFLIGHT_STEP,
      STAGE_STEP,
      "take the shard down",
      "wait for its tenants to see it",
      "hold the outage",
      "bring the shard back",
      "measure recovery",
      ...CLOSING_STEPS,
    ],
  },
  params: Params,
  run: (ctx) =>
    withClusterStage(ctx, async (stage) => {
      const { mode, durationSeconds } = ctx.params;
      const told = misbehavingLayers(ctx.params.misbehave);
      const nodes = [stage.target.master, ...stage.target.replicas];
      // The run's window (reaction, hold, recovery) plus a margin: a console killed mid-run leaves the shard down no longer than that.
      const ttlSeconds = durationSeconds + 90;
      stage.traffic.start();
      const faultAt = await ctx.step(
        "take the shard down",
        async () => {
          // The breach goes in first, so the layer misbehaves from the outage's first second.
          for (const id of told) await ctx.control.misbehave(id, MISBEHAVE_MODES[id], ttlSeconds);
          const at = Date.now();
          for (const n of nodes) await ctx.control.fault(n, mode, ttlSeconds);
          return at;
        },
        () =>
          `${mode === "kill" ? "kill -9" : "SIGSTOP"} ${nodes.join(" and ")}: slots ${formatSlots(stage.target.slots)} have no master and no replica to promote` +
          (told.length ? `; told to break the contract: ${told.map((id) => `${id} ${MISBEHAVE_MODES[id]}`).join(", ")}` : ""),
      );
      await ctx.step(
        "wait for its tenants to see it",
        async () => {
          const seen = await waitForSamples(ctx, stage, sawContract(stage, faultAt), REACT_WAIT_MS);
          for (const l of LAYER_IDS) {
            const first = stage.traffic.samples.find((s) => s.at >= faultAt && s.layer === l && s.shard === stage.target.name && s.kind === "contract");
            ctx.metric(`detect_${l}_s`, first ? secondsBetween(faultAt, first.at) : null);
          }
          return seen;
        },
        (seen) =>
          seen
            ? "every layer showed its contract behaviour to the shard's tenants"
            : `not every layer did within ${REACT_WAIT_MS / 1000} s: the checks say what they did`,
      );
      const holdFrom = Date.now();
      await ctx.step("hold the outage", () => ctx.watch(durationSeconds * 1000));
      const undoneAt = await ctx.step(
        "bring the shard back",
        async () => {
          for (const id of told) await ctx.control.behave(id);
          for (const n of nodes) await (mode === "kill" ? ctx.control.restart(n) : ctx.control.thaw(n));
          return Date.now();
        },
        () => `${mode === "kill" ? "restarted" : "thawed"} ${nodes.join(" and ")}`,
      );
      await ctx.step("measure recovery", async () => {
        const recovery = await measureRecovery(ctx, stage, faultAt, undoneAt);
        // Judged once the traffic has stopped, so a call still in flight at the end of the hold counts too.
        judgeOutage(ctx, stage, faultAt, holdFrom, undoneAt);
        for (const c of recovery.checks) ctx.check(c);
        if (!recovery.healed)
          throw new Error(`${stage.target.name}'s tenants were not all served normally within ${RECOVERY_WAIT_MS / 1000} s of the shard coming back`);
      });
    }),
};
