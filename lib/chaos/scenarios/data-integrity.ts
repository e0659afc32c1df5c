import "server-only";
/**
 * data-integrity: the integrity writer makes sequenced writes, the master is killed with -9
 * (no AOF flush), then either restarted on its AOF or replaced by Sentinel's promoted replica.
 * Every acknowledged write is read back: what is gone is the real RPO, held against the
 * guide's "appendfsync everysec: 1 s RPO".
 */
import { z } from "zod";
import { CLOSING_STEPS, secondsBetween, type Scenario } from "../scenario";
import { currentMaster, masterSwitched } from "./snapshot-facts";
import { dataLoss, describeLoss, RPO_CLAIM_MS } from "./rpo";
import { integrityWriter } from "./workloads";

const Params = z.strictObject({
  mode: z.enum(["restart", "failover"], { message: 'mode must be "restart" (the master comes back on its AOF) or "failover" (Sentinel promotes the replica)' }).default("restart"),
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
    description: "Sequenced writes while the master is killed with -9, then restarted on its AOF or failed over by Sentinel. Every acknowledged write is read back; the loss is held against the 1 s RPO.",
    claims: ["rpo-1s"],
    params: [{ name: "mode", type: "enum", default: "restart", options: ["restart", "failover"], help: "restart the killed master on its AOF, or let Sentinel promote the replica" }],
    steps: ["start the integrity writer", "kill -9 the master", "bring a master back", "wait for writes to resume", "stop the writer and read back", ...CLOSING_STEPS],
  },
  params: Params,
  async run(ctx) {
    const { mode } = ctx.params;
    const master = currentMaster(ctx.snapshot());
    await ctx.step("start the integrity writer", async () => {
      const run = await integrityWriter.start(ctx.control);
      await ctx.watch(WRITE_BEFORE_MS);
      return run;
    }, () => `writing for ${WRITE_BEFORE_MS / 1000} s before the crash`);

    const killedAt = await ctx.step("kill -9 the master", async () => {
      const before = await integrityWriter.read(ctx.control);
      ctx.metric("acknowledged_before_kill", before.acknowledged);
      await ctx.control.call("POST", `/nodes/${master.id}/kill`, { ttlSeconds: 180 });
      return Date.now();
    }, () => `${master.id} (${master.addr}) killed: no AOF flush, no goodbye to the replica`);

    await ctx.step("bring a master back", async () => {
      if (mode === "restart") {
        await ctx.control.call("POST", `/nodes/${master.id}/restart`, {});
        return `${master.id} restarted on its AOF`;
      }
      const s = await ctx.waitForSnapshot((snap) => masterSwitched(snap, master.addr), PROMOTION_WAIT_MS);
      if (!s) throw new Error(`Sentinel did not promote a new master within ${PROMOTION_WAIT_MS / 1000} s`);
      const secs = secondsBetween(killedAt, Date.parse(s.at));
      ctx.metric("promotion_s", secs);
      return `Sentinel promoted ${s.sentinel.master.addr} ${secs} s after the kill`;
    }, (detail) => detail);

    await ctx.step("wait for writes to resume", async () => {
      const from = (await integrityWriter.read(ctx.control)).acknowledged;
      const deadline = Date.now() + RESUME_WAIT_MS;
      while (Date.now() < deadline) {
        const now = await integrityWriter.read(ctx.control);
        if (now.acknowledged >= from + RESUMED_WRITES) {
          ctx.metric("writes_resumed_s", secondsBetween(killedAt, Date.now()));
          return;
        }
        await ctx.watch(250);
      }
      throw new Error(`the writer got no acknowledged write within ${RESUME_WAIT_MS / 1000} s of the master coming back`);
    });

    const report = await ctx.step("stop the writer and read back", () => integrityWriter.stop(ctx.control), (r) => `${r.acknowledged} acknowledged, ${r.failed} refused while no master answered`);
    const loss = dataLoss(report);
    ctx.metric("acknowledged", report.acknowledged);
    ctx.metric("refused_writes", report.failed);
    ctx.metric("lost_writes", loss.verified ? loss.lost : null);
    ctx.metric("lost_window_ms", loss.verified ? loss.windowMs : null);
    ctx.check({
      claim: "rpo-1s",
      expect: `at most ${RPO_CLAIM_MS / 1000} s of acknowledged writes lost when the master is killed -9 and ${mode === "restart" ? "restarted on its AOF" : "replaced by Sentinel's promoted replica"}`,
      observed: describeLoss(loss),
      ok: loss.verified && loss.windowMs <= RPO_CLAIM_MS,
    });
  },
};
