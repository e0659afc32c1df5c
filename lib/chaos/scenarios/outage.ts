import "server-only";
/**
 * outage: Redis goes away completely (both nodes killed or frozen, or the network path cut),
 * and each layer is held to the failure contract; then Redis comes back and the time until each
 * layer is ok again is measured against the guide's "2-3 seconds".
 */
import { z } from "zod";
import { holdSeconds } from "./hold-params";
import { misbehavingLayers, MisbehaveParam } from "./misbehave-param";
import { FAILURE_CONTRACT, LAYER_IDS, type LayerId } from "../../contract/failure-contract";
import { agreementLine, outageExpectation, REACTION_GRACE_SECONDS, RECOVERY_CLAIM_SECONDS, recoveryHeld } from "../../contract/verdict-rules";
import { MISBEHAVE_MODES } from "../../contract/misbehave-modes";
import type { Snapshot } from "../../snapshot/types";
import { formatSeconds } from "../format";
import { firstReached, tallyAgreement } from "../layer-watch";
import { paramsInfo } from "../param-info";
import type { RunContext } from "../run-context";
import { CLOSING_STEPS, PREFLIGHT_STEP, secondsBetween, type Scenario } from "../scenario";

const Params = z.strictObject({
  mode: z
    .enum(["kill", "freeze", "network"], { message: 'mode must be "kill", "freeze" or "network"' })
    .default("kill")
    .meta({ help: "kill -9 both nodes, SIGSTOP them, or cut the proxy" }),
  misbehave: MisbehaveParam,
  durationSeconds: holdSeconds("how long the outage lasts"),
});
type OutageParams = z.infer<typeof Params>;

const outageStatus = (id: LayerId) => FAILURE_CONTRACT[id].statusDuringOutage;
const misbehaving = (p: OutageParams): LayerId[] => misbehavingLayers(p.misbehave);
/** Every layer is where the outage puts it: its contract's status, or, for one told to misbehave, a caught violation. */
const allReacted = (s: Snapshot, told: LayerId[]) =>
  s.layers.length > 0 && s.layers.every((l) => l.status === outageStatus(l.id) || (told.includes(l.id) && l.violation));

async function inject(ctx: RunContext<OutageParams>, nodes: string[]): Promise<void> {
  // The run's own window (20 s for the layers to react, the hold) plus a 10 s margin: a console killed mid-run leaves the sandbox broken no longer than that.
  const ttlSeconds = ctx.params.durationSeconds + 30;
  // The breach goes in first, so the layer misbehaves from the outage's first second.
  for (const id of misbehaving(ctx.params)) await ctx.control.call("POST", `/layers/${id}/misbehave`, { mode: MISBEHAVE_MODES[id], ttlSeconds });
  if (ctx.params.mode === "network") await ctx.control.call("POST", "/proxy/cut", { ttlSeconds });
  else for (const n of nodes) await ctx.control.call("POST", `/nodes/${n}/${ctx.params.mode}`, { ttlSeconds });
}

async function undo(ctx: RunContext<OutageParams>, nodes: string[]): Promise<void> {
  for (const id of misbehaving(ctx.params)) await ctx.control.call("DELETE", `/layers/${id}/misbehave`);
  if (ctx.params.mode === "network") await ctx.control.call("DELETE", "/proxy/faults");
  else for (const n of nodes) await ctx.control.call("POST", `/nodes/${n}/${ctx.params.mode === "kill" ? "restart" : "thaw"}`, {});
}

export const outage: Scenario<OutageParams> = {
  info: {
    id: "outage",
    title: "Complete Redis outage",
    description:
      "Both Redis nodes killed or frozen, or the layers' network path cut. Each layer is checked against the failure contract, then recovery is timed.",
    claims: ["outage-contract", "recovery-2-3s"],
    params: paramsInfo(Params),
    steps: [PREFLIGHT_STEP, "inject the outage", "wait for the layers to react", "hold the outage", "bring Redis back", "measure recovery", ...CLOSING_STEPS],
  },
  params: Params,
  async run(ctx) {
    const nodes = ctx.snapshot().redis.nodes.map((n) => n.id);
    const injectedAt = await ctx.step(
      "inject the outage",
      async () => {
        await inject(ctx, nodes);
        return Date.now();
      },
      () => {
        const told = misbehaving(ctx.params);
        const fault = ctx.params.mode === "network" ? "proxy cut: the layers' path to Redis refuses connections" : `${ctx.params.mode} ${nodes.join(" and ")}`;
        return told.length ? `${fault}; told to break the contract: ${told.map((id) => `${id} ${MISBEHAVE_MODES[id]}`).join(", ")}` : fault;
      },
    );

    const reacted: Snapshot[] = [];
    await ctx.step("wait for the layers to react", async () => {
      const told = misbehaving(ctx.params);
      const s = await ctx.waitForSnapshot((snap) => (reacted.push(snap), allReacted(snap, told)), REACTION_GRACE_SECONDS.waited * 1000);
      const first = firstReached(reacted, outageStatus);
      for (const id of LAYER_IDS) ctx.metric(`detect_${id}_s`, first[id] ? secondsBetween(injectedAt, first[id]!) : null);
      if (!s)
        throw new Error(
          `not every layer reached its outage status within 20 s: ${ctx
            .snapshot()
            .layers.map((l) => `${l.id} ${l.status}`)
            .join(", ")}`,
        );
    });

    const held = await ctx.step(
      "hold the outage",
      () => ctx.watch(ctx.params.durationSeconds * 1000),
      (h) => `${h.length} snapshots observed`,
    );
    const tally = tallyAgreement(held, (s) => s.redis.available === false);
    for (const id of LAYER_IDS) {
      const t = tally[id];
      const expect = outageExpectation(id);
      if (!ctx.hasLayer(id)) {
        ctx.check({ claim: "outage-contract", layer: id, expect, observed: "layer not watched", notExercised: `${id} is not in the console's configuration` });
        continue;
      }
      // No snapshot with Redis down for the layers: the outage never reached them, so the contract was not tested.
      if (!t || t.samples === 0) {
        ctx.check({
          claim: "outage-contract",
          layer: id,
          expect,
          observed: "no sample while Redis was down",
          notExercised: `no snapshot during the ${ctx.params.durationSeconds} s hold saw Redis down for the layers`,
        });
        continue;
      }
      ctx.check({
        claim: "outage-contract",
        layer: id,
        expect,
        observed: `${t.typicalSummary} (${agreementLine(t)}${t.failedChecks.length ? `; also saw ${t.failedChecks.slice(0, 2).join(", ")}` : ""})`,
        ok: t.held === true,
      });
    }
    const failedDuring = new Set([...reacted, ...held].flatMap((s) => s.layers.filter((l) => l.status !== "ok").map((l) => l.id)));

    const undoneAt = await ctx.step("bring Redis back", async () => {
      await undo(ctx, nodes);
      return Date.now();
    });

    const seen: Snapshot[] = [];
    await ctx.step("measure recovery", async () => {
      const healed = await ctx.waitForSnapshot((snap) => (seen.push(snap), snap.layers.every((l) => l.status === "ok")), 60_000);
      const firstOk = firstReached(seen, () => "ok");
      for (const id of LAYER_IDS) {
        const secs = firstOk[id] ? secondsBetween(undoneAt, firstOk[id]!) : null;
        ctx.metric(`recovery_${id}_s`, secs);
        const expect = `${id} ok again within ${RECOVERY_CLAIM_SECONDS} s of Redis coming back`;
        const observed = secs === null ? "not ok within 60 s" : `ok after ${formatSeconds(secs)} (±1 tick)`;
        // A layer that never left ok during the outage had nothing to recover from.
        if (!failedDuring.has(id))
          ctx.check({
            claim: "recovery-2-3s",
            layer: id,
            expect,
            observed,
            notExercised: ctx.hasLayer(id) ? `${id} was never seen failing during the outage` : `${id} is not in the console's configuration`,
          });
        else ctx.check({ claim: "recovery-2-3s", layer: id, expect, observed, ok: recoveryHeld(secs) });
      }
      if (!healed) throw new Error("the layers did not all recover within 60 s");
    });
  },
};
