import "server-only";
/**
 * What each scenario does on an external target, by command alone (external.ts), with the
 * layers watched through the deployment's collector or driven through their own probes
 * (probe-traffic.ts). The run around it (keys, lock, journal, restore, post-flight) is
 * external-run.ts's. A check about a layer the config does not name is not exercised, and says so.
 */
import type { Collector } from "../../collector/collector";
import type { LayerConfig } from "../../config/schema";
import { FAILURE_CONTRACT, LAYER_IDS, type LayerId } from "../../contract/failure-contract";
import type { Snapshot } from "../../snapshot/types";
import { describeLoss, RPO_CLAIM_MS } from "../scenarios/rpo";
import { CLAIMS, type ChaosRun, type ClaimId } from "../types";
import type { CheckInput } from "../verdict";
import { addr } from "./connect";
import type { ExternalTarget } from "./external";
import { ExternalIntegrityWriter } from "./external-integrity";
import { REACT_WINDOW_S, type ExternalScenario } from "./external-params";
import { ProbeTraffic, recoveryOf } from "./probe-traffic";
import { waitForAnswer } from "./restore";

export interface ExternalRunContext {
  run: ChaosRun;
  target: ExternalTarget;
  collector: Collector;
  deployment: string;
  step<T>(name: string, fn: () => Promise<T>, detail?: (t: T) => string): Promise<T>;
  check(c: CheckInput): void;
  /** Snapshots of the deployment's collector every half second for ms (ends early on abort). */
  sample(ms: number): Promise<Snapshot[]>;
}

const RECOVERY_CLAIM_S = 3;
const NEW_MASTER_WAIT_MS = 30_000;

const param = (ctx: ExternalRunContext, name: string) => ctx.run.params[name];
const secs = (ms: number | null) => (ms === null ? null : Math.round(ms / 10) / 100);
const layerOf = (ctx: ExternalRunContext, id: LayerId): LayerConfig | undefined => ctx.collector.settings.layers.find((l) => l.id === id);
const notConfigured = (ctx: ExternalRunContext, id: LayerId) => `${id} is not configured for deployment "${ctx.deployment}": only the Redis side ran`;

function layerChecks(ctx: ExternalRunContext, claim: ClaimId, held: Snapshot[]): void {
  for (const id of LAYER_IDS) {
    const expect = `${id} ${FAILURE_CONTRACT[id].statusDuringOutage}: ${FAILURE_CONTRACT[id].outageBehaviour}`;
    if (!layerOf(ctx, id)) {
      ctx.check({ claim, layer: id, expect, observed: "layer not configured", notExercised: notConfigured(ctx, id) });
      continue;
    }
    const seen = held.map((s) => s.layers.find((l) => l.id === id)?.status).filter((x) => x !== undefined);
    const agreed = seen.filter((st) => st === FAILURE_CONTRACT[id].statusDuringOutage).length;
    if (!seen.length) ctx.check({ claim, layer: id, expect, observed: "no sample", notExercised: "no snapshot during the hold" });
    else ctx.check({ claim, layer: id, expect, observed: `${agreed}/${seen.length} samples by contract`, ok: agreed / seen.length >= 0.8 });
  }
}

async function outage(ctx: ExternalRunContext): Promise<void> {
  const ms = (Number(param(ctx, "durationSeconds")) + REACT_WINDOW_S) * 1000;
  const t = ctx.target;
  await ctx.step(
    "pause every node",
    () => t.pause(ms, param(ctx, "mode") === "write-pause" ? "WRITE" : "ALL"),
    () => `CLIENT PAUSE ${ms} on ${t.opts.nodes.length} nodes`,
  );
  await ctx.sample(REACT_WINDOW_S * 1000);
  const held = await ctx.step(
    "hold the outage",
    () => ctx.sample(Number(param(ctx, "durationSeconds")) * 1000),
    (h) => `${h.length} snapshots`,
  );
  layerChecks(ctx, "outage-contract", held);
}

async function memoryPressure(ctx: ExternalRunContext): Promise<void> {
  const target = Number(param(ctx, "targetPercent"));
  const f = await ctx.step(
    "fill memory",
    () => ctx.target.fillMemory(target, (Number(param(ctx, "durationSeconds")) + 30) * 1000, param(ctx, "policy") as string | undefined),
    (r) => `${r.keys} filler keys, ${r.usedPercent}% of ${r.maxmemory} bytes, ${r.evicted} evicted`,
  );
  ctx.run.metrics.evicted_keys = f.evicted;
  ctx.run.metrics.fill_percent = f.usedPercent;
  await ctx.step(
    "hold under pressure",
    () => ctx.sample(Number(param(ctx, "durationSeconds")) * 1000),
    (h) => `${h.length} snapshots`,
  );
  const expect = "memory filled until Redis evicts or refuses writes";
  if (f.evicted > 0 || f.usedPercent >= target) ctx.check({ expect, observed: `${f.usedPercent}% of maxmemory, ${f.evicted} keys evicted`, ok: true });
  else ctx.check({ expect, observed: `${f.usedPercent}% of maxmemory`, notExercised: "the fill did not reach the target" });
  for (const claim of ["sessions-preserved", "lru-oldest-first"] as const)
    ctx.check({
      claim,
      expect: CLAIMS[claim],
      observed: "not seeded",
      notExercised:
        "seeded sessions and cache entries go through the sandbox's L2/L3 stand-ins; on an external target their key layout is not known to the console",
    });
}

/** SENTINEL FAILOVER, then the new master as the sentinels and the node itself say (null after 30 s). */
async function failOver(ctx: ExternalRunContext): Promise<{ old: string; promoted: string | null; ms: number }> {
  const t = ctx.target;
  const old = await t.master();
  await ctx.step(
    "SENTINEL FAILOVER",
    () => t.failover(),
    (s) => `accepted by sentinel ${s}`,
  );
  const started = Date.now();
  const promoted = await ctx.step(
    "wait for a new master",
    async () => {
      while (Date.now() - started < NEW_MASTER_WAIT_MS) {
        const m = await t.master().catch(() => old);
        if (m.port !== old.port || m.host !== old.host) return m;
        await new Promise((r) => setTimeout(r, 250));
      }
      return null;
    },
    (m) => (m ? `${addr(m)} after ${((Date.now() - started) / 1000).toFixed(1)} s` : `none within ${NEW_MASTER_WAIT_MS / 1000} s`),
  );
  return { old: addr(old), promoted: promoted && addr(promoted), ms: Date.now() - started };
}

async function failover(ctx: ExternalRunContext): Promise<void> {
  const f = await failOver(ctx);
  ctx.run.metrics.failover_s = f.promoted ? secs(f.ms) : null;
  ctx.check({
    claim: "failover-automatic",
    expect: CLAIMS["failover-automatic"],
    observed: f.promoted ? `new master ${f.promoted}` : `no new master within ${NEW_MASTER_WAIT_MS / 1000} s`,
    ok: !!f.promoted,
  });
}

/** The master crashed with DEBUG CRASH-AND-RECOVER while the configured layers' probes run at the scenario's rate. */
async function restartUnderLoad(ctx: ExternalRunContext): Promise<void> {
  const everyMs = Number(param(ctx, "probeEveryMs"));
  const layers = ctx.collector.settings.layers;
  const traffic = new ProbeTraffic(layers, everyMs, ctx.collector.settings.timeouts.probeMs);
  traffic.start();
  let samples: Awaited<ReturnType<ProbeTraffic["stop"]>> | null = null;
  try {
    await ctx.sample(2000);
    const t0 = Date.now();
    const master = await ctx.step(
      "crash the master",
      () => ctx.target.crash(Number(param(ctx, "delayMs"))),
      (m) => `DEBUG CRASH-AND-RECOVER ${param(ctx, "delayMs")} on ${addr(m)}`,
    );
    const backMs = await ctx.step(
      "wait for the master to answer",
      () => waitForAnswer(master, { auth: ctx.target.opts.auth, timeoutMs: ctx.target.opts.timeoutMs }).then(() => Date.now() - t0),
      (ms) => `answers again ${secs(ms)} s after the crash`,
    );
    ctx.run.metrics.master_back_s = secs(backMs);
    await ctx.step(
      "watch the layers recover",
      () => ctx.sample(Number(param(ctx, "watchSeconds")) * 1000),
      () => `${layers.length} layers probed every ${everyMs} ms`,
    );
    samples = await traffic.stop();
    for (const id of LAYER_IDS) {
      const expect = `${id} ok again within ${RECOVERY_CLAIM_S} s of a master restart`;
      const s = samples.get(id);
      if (!layerOf(ctx, id) || !s) {
        ctx.check({ claim: "recovery-2-3s", layer: id, expect, observed: "layer not configured", notExercised: notConfigured(ctx, id) });
        continue;
      }
      const r = recoveryOf(s, t0);
      ctx.run.metrics[`requests_${id}`] = s.filter((x) => x.at >= t0).length;
      ctx.run.metrics[`errors_${id}`] = r.failures;
      const recovery = r.okAgainAt === null ? null : secs(r.okAgainAt - t0);
      ctx.run.metrics[`recovery_${id}_s`] = recovery;
      if (r.failedAt === null)
        ctx.check({
          claim: "recovery-2-3s",
          layer: id,
          expect,
          observed: `ok at every probe (${s.length}, every ${everyMs} ms)`,
          notExercised: `${id} never failed during the restart: nothing to recover from (a faster probe rate may catch it)`,
        });
      else
        ctx.check({
          claim: "recovery-2-3s",
          layer: id,
          expect,
          observed:
            recovery === null
              ? `failing from ${secs(r.failedAt - t0)} s to the end of the watch`
              : `ok again ${recovery} s after the crash (${r.failures} failed probes)`,
          ok: recovery !== null && recovery <= RECOVERY_CLAIM_S,
        });
    }
  } finally {
    if (!samples) await traffic.stop();
  }
}

/** Sequenced writes while the master crashes (restart) or Sentinel fails over; the acknowledged ones read back. */
async function dataIntegrity(ctx: ExternalRunContext): Promise<void> {
  const mode = param(ctx, "mode") as "restart" | "failover";
  const writer = new ExternalIntegrityWriter(ctx.target, ctx.target.journal, Number(param(ctx, "writeEveryMs")));
  await ctx.step(
    "start the integrity writer",
    () => writer.start(),
    () => `SET rrc:integrity:${ctx.run.id}:<seq> every ${param(ctx, "writeEveryMs")} ms`,
  );
  let stopped = false;
  try {
    await ctx.sample(2000);
    const before = writer.count;
    ctx.run.metrics.acknowledged_before_fault = before;
    if (mode === "restart") {
      const t0 = Date.now();
      const master = await ctx.step(
        "crash the master",
        () => ctx.target.crash(0),
        (m) => `DEBUG CRASH-AND-RECOVER 0 on ${addr(m)}`,
      );
      await waitForAnswer(master, { auth: ctx.target.opts.auth, timeoutMs: ctx.target.opts.timeoutMs });
      ctx.run.metrics.master_back_s = secs(Date.now() - t0);
    } else {
      const f = await failOver(ctx);
      ctx.run.metrics.promotion_s = f.promoted ? secs(f.ms) : null;
      if (!f.promoted) throw new Error(`Sentinel promoted no new master within ${NEW_MASTER_WAIT_MS / 1000} s`);
    }
    await ctx.sample(3000);
    stopped = true;
    const loss = await ctx.step(
      "stop the writer and read back",
      () => writer.stop(),
      (l) => describeLoss(l),
    );
    ctx.run.metrics.acknowledged = loss.verified ? loss.acknowledged : null;
    ctx.run.metrics.lost_writes = loss.verified ? loss.lost : null;
    ctx.run.metrics.lost_window_ms = loss.verified ? loss.windowMs : null;
    ctx.run.metrics.failed_writes = writer.failed;
    const unverified = !loss.verified ? loss.why : before === 0 ? "the writer had no acknowledged write before the fault" : null;
    const lost = loss.verified ? loss.lost : Infinity;
    if (mode === "failover") {
      // What a promoted replica misses is replication lag, not the AOF's fsync policy: no guide claim, still a bound worth knowing.
      const expect = `at most ${RPO_CLAIM_MS / 1000} s of acknowledged writes lost when Sentinel promotes the replica (asynchronous replication)`;
      if (unverified) ctx.check({ expect, observed: describeLoss(loss), notExercised: unverified });
      else ctx.check({ expect, observed: describeLoss(loss), ok: loss.verified && loss.windowMs <= RPO_CLAIM_MS });
      return;
    }
    const crashExpect = "no acknowledged write lost when the master's process crashes and restarts on its own data";
    if (unverified) ctx.check({ claim: "crash-no-loss", expect: crashExpect, observed: describeLoss(loss), notExercised: unverified });
    else ctx.check({ claim: "crash-no-loss", expect: crashExpect, observed: describeLoss(loss), ok: lost === 0 });
    ctx.check({
      claim: "rpo-1s",
      expect: `at most ${RPO_CLAIM_MS / 1000} s of acknowledged writes lost when the machine crashes`,
      observed: describeLoss(loss),
      notExercised:
        "DEBUG CRASH-AND-RECOVER crashes the process, not the machine: the kernel still writes what the AOF had written, so the fsync policy is not tested",
    });
  } finally {
    if (!stopped) await writer.stop();
  }
}

export const EXTERNAL_DRIVERS: Record<ExternalScenario, (ctx: ExternalRunContext) => Promise<void>> = {
  outage,
  "memory-pressure": memoryPressure,
  failover,
  "restart-under-load": restartUnderLoad,
  "data-integrity": dataIntegrity,
};
