import "server-only";
/**
 * data-integrity: the integrity writer makes sequenced writes, the master is killed with -9,
 * then either restarted on its AOF or replaced by Sentinel's promoted replica. Every
 * acknowledged write is read back. A plain kill -9 is a process crash: Redis write()s the AOF
 * before it replies, so the kernel keeps every acknowledged write ("crash-no-loss"). The guide's
 * "appendfsync everysec: 1 s RPO" is about a machine crash, where what was not fsynced is gone:
 * it is measured only when the sandbox runs its nodes under the power-loss shim, which keeps
 * the AOF's unsynced writes inside the process until fsync, so kill -9 drops exactly those
 * (and the run then speaks of that claim only). On a plain sandbox the RPO is not exercised.
 */
import { z } from "zod";
import { formatSeconds } from "../format";
import { paramsInfo } from "../param-info";
import { underPowerLossShim } from "../power-loss";
import type { RunContext } from "../run-context";
import { CLOSING_STEPS, PREFLIGHT_STEP, secondsBetween, type Scenario } from "../scenario";
import type { Snapshot } from "../../snapshot/types";
import { currentMaster, masterSwitched } from "./snapshot-facts";
import { dataLoss, describeLoss, RPO_CLAIM_MS, type DataLoss } from "./rpo";
import { integrityWriter } from "./workloads";

const Params = z.strictObject({
  mode: z
    .enum(["restart", "failover"], { message: 'mode must be "restart" (the master comes back on its AOF) or "failover" (Sentinel promotes the replica)' })
    .default("restart")
    .meta({ help: "restart the killed master on its AOF, or let Sentinel promote the replica" }),
});
type IntegrityParams = z.infer<typeof Params>;

const WRITE_BEFORE_MS = 3000;
/** down-after-milliseconds (2-5 s) + election + promotion, with room for a slow 2-core machine. */
const PROMOTION_WAIT_MS = 45_000;
const RESUME_WAIT_MS = 30_000;
const RESUMED_WRITES = 10;

export const dataIntegrity: Scenario<IntegrityParams> = {
  info: {
    id: "data-integrity",
    title: "Data integrity across a crash",
    description:
      "Sequenced writes while the master is killed with -9, then restarted on its AOF or failed over by Sentinel. Every acknowledged write is read back. A process crash should lose none; the 1 s RPO (a machine crash) is measured when the sandbox runs with --power-loss-aof.",
    claims: ["crash-no-loss", "rpo-1s"],
    params: paramsInfo(Params),
    steps: [
      PREFLIGHT_STEP,
      "start the integrity writer",
      "kill -9 the master",
      "bring a master back",
      "wait for writes to resume",
      "stop the writer and read back",
      ...CLOSING_STEPS,
    ],
  },
  params: Params,
  async run(ctx) {
    const { mode } = ctx.params;
    const master = currentMaster(ctx.snapshot());
    const dir = ctx.devstackDir();
    const powerLoss = dir ? underPowerLossShim(dir, master.id) : null;
    ctx.metric("crash_kind", powerLoss ? "power loss (unsynced AOF writes dropped)" : "process crash");
    await ctx.step(
      "start the integrity writer",
      async () => {
        const run = await integrityWriter.start(ctx.control);
        await ctx.watch(WRITE_BEFORE_MS);
        return run;
      },
      () => `writing for ${WRITE_BEFORE_MS / 1000} s before the crash`,
    );

    let ackedBeforeKill = 0;
    // A restart slower than down-after-milliseconds lets Sentinel fail over meanwhile: the loss is then the failover's.
    let failoverSeen = false;
    const failingOver = (snap: Snapshot) => masterSwitched(snap, master.addr) || snap.sentinel.failoverInProgress;
    const killedAt = await ctx.step(
      "kill -9 the master",
      async () => {
        ackedBeforeKill = (await integrityWriter.read(ctx.control)).acknowledged;
        ctx.metric("acknowledged_before_kill", ackedBeforeKill);
        await ctx.control.call("POST", `/nodes/${master.id}/kill`, { ttlSeconds: 180 });
        return Date.now();
      },
      () =>
        `${master.id} (${master.addr}) killed${powerLoss ? " under the power-loss shim: what it had not fsynced is gone" : ": the kernel keeps what Redis wrote to the AOF"}; no goodbye to the replica`,
    );

    await ctx.step(
      "bring a master back",
      async () => {
        if (mode === "restart") {
          await ctx.control.call("POST", `/nodes/${master.id}/restart`, {});
          return `${master.id} restarted on its AOF`;
        }
        const s = await ctx.waitForSnapshot((snap) => masterSwitched(snap, master.addr), PROMOTION_WAIT_MS);
        if (!s) throw new Error(`Sentinel did not promote a new master within ${PROMOTION_WAIT_MS / 1000} s`);
        const secs = secondsBetween(killedAt, Date.parse(s.at));
        ctx.metric("promotion_s", secs);
        return `Sentinel promoted ${s.sentinel.master.addr} ${formatSeconds(secs)} after the kill`;
      },
      (detail) => detail,
    );

    await ctx.step("wait for writes to resume", async () => {
      const from = (await integrityWriter.read(ctx.control)).acknowledged;
      const deadline = Date.now() + RESUME_WAIT_MS;
      while (Date.now() < deadline) {
        const now = await integrityWriter.read(ctx.control);
        if (now.acknowledged >= from + RESUMED_WRITES) {
          ctx.metric("writes_resumed_s", secondsBetween(killedAt, Date.now()));
          return;
        }
        if ((await ctx.watch(250)).some(failingOver)) failoverSeen = true;
      }
      throw new Error(`the writer got no acknowledged write within ${RESUME_WAIT_MS / 1000} s of the master coming back`);
    });

    const report = await ctx.step(
      "stop the writer and read back",
      () => integrityWriter.stop(ctx.control),
      (r) => `${r.acknowledged} acknowledged, ${r.failed} refused while no master answered`,
    );
    const loss = dataLoss(report);
    ctx.metric("acknowledged", report.acknowledged);
    ctx.metric("refused_writes", report.failed);
    ctx.metric("lost_writes", loss.verified ? loss.lost : null);
    ctx.metric("lost_window_ms", loss.verified ? loss.windowMs : null);
    if (failingOver(ctx.snapshot()) || (report.master !== null && report.master !== master.addr)) failoverSeen = true;
    if (mode === "restart") ctx.metric("failover_during_restart", failoverSeen ? "yes" : "no");
    judge(
      ctx,
      loss,
      powerLoss,
      ackedBeforeKill,
      mode === "restart" && failoverSeen
        ? `Sentinel failed over while ${master.id} restarted (now ${ctx.snapshot().sentinel.master.addr ?? "?"}), so the loss is the failover's, not the AOF's`
        : null,
    );
  },
};

const RPO_REASON =
  "kill -9 of the process keeps what Redis wrote to the AOF in the kernel's page cache, so it cannot show the 1 s RPO of a machine crash; start the sandbox with --power-loss-aof to measure it";

/** Which claim this kill can speak to: a process crash (nothing lost) or, under the shim, a machine crash (the 1 s RPO). */
function judge(ctx: RunContext<IntegrityParams>, loss: DataLoss, powerLoss: boolean | null, ackedBeforeKill: number, failedOver: string | null): void {
  // No acknowledged write before the kill: nothing was at stake, so no loss could be seen.
  const unverified = !loss.verified
    ? `the read-back did not complete: ${loss.why}`
    : ackedBeforeKill === 0
      ? "the writer had no acknowledged write before the kill"
      : failedOver;
  const windowMs = loss.verified ? loss.windowMs : Infinity;
  const lost = loss.verified ? loss.lost : Infinity;
  if (ctx.params.mode === "failover") {
    // What a promoted replica misses is replication lag, not the AOF's fsync policy: no guide claim, still a bound worth knowing.
    const expect = `at most ${RPO_CLAIM_MS / 1000} s of acknowledged writes lost when Sentinel promotes the replica after kill -9 (asynchronous replication)`;
    if (unverified) ctx.check({ expect, observed: describeLoss(loss), notExercised: unverified });
    else ctx.check({ expect, observed: describeLoss(loss), ok: windowMs <= RPO_CLAIM_MS });
    return;
  }
  const crashExpect = "no acknowledged write lost when the master's process is killed -9 and restarted on its AOF";
  const rpoExpect = `at most ${RPO_CLAIM_MS / 1000} s of acknowledged writes lost when the machine crashes (unsynced AOF writes dropped) and the master restarts on its AOF`;
  // Under the shim this kill is a machine crash: the run speaks of the RPO only, and the scorecard keeps the last process-crash measurement.
  if (powerLoss) {
    if (unverified) ctx.check({ claim: "rpo-1s", expect: rpoExpect, observed: describeLoss(loss), notExercised: unverified });
    else ctx.check({ claim: "rpo-1s", expect: rpoExpect, observed: describeLoss(loss), ok: windowMs <= RPO_CLAIM_MS });
    return;
  }
  if (unverified) ctx.check({ claim: "crash-no-loss", expect: crashExpect, observed: describeLoss(loss), notExercised: unverified });
  else ctx.check({ claim: "crash-no-loss", expect: crashExpect, observed: describeLoss(loss), ok: lost === 0 });
  ctx.check({
    claim: "rpo-1s",
    expect: rpoExpect,
    observed: describeLoss(loss),
    notExercised: powerLoss === null ? `${RPO_REASON} (whether the shim is loaded could not be read)` : RPO_REASON,
  });
}
