import "server-only";
/**
 * What each scenario does on an external target, by command alone (external.ts), with the
 * layers watched through the deployment's collector or driven through their own probes
 * (probe-traffic.ts). The run around it (keys, lock, journal, restore, post-flight) is
 * external-run.ts's. A check about a layer the config does not name is not exercised, and says so.
 */
import type { Collector } from "../../collector/collector";
import { LAYER_IDS } from "../../contract/failure-contract";
import { RECOVERY_CLAIM_SECONDS, recoveryHeld } from "../../contract/verdict-rules";
import type { Snapshot } from "../../snapshot/types";
import { describeLoss, RPO_CLAIM_MS } from "../scenarios/rpo";
import { CLAIMS, type ChaosRun } from "../types";
import type { CheckInput } from "../verdict";
import { addr } from "./connect";
import type { ExternalTarget } from "./external";
import { ExternalIntegrityWriter } from "./external-integrity";
import type { ExternalScenario } from "./external-params";
import type { ConsoleProxy } from "./console-proxy";
import { ProbeTraffic, recoveryOf } from "./probe-traffic";
import { waitForAnswer } from "./restore";
import type { CapabilityDriven } from "./external-capabilities";
import { devStackMemoryPressure } from "./dev-memory";
import { devStackOutage } from "./dev-outage";
import { devStackFailover, promote, PROMOTION_WAIT_MS, type FailoverScope } from "./dev-failover";
import { devStackLatency } from "./dev-latency";
import { layerOf, notConfigured } from "./judge-layers";

/** What a dev-stack driver sees of its run, whatever the stack (Sentinel or Cluster): `T` is its target. */
export interface DevStackRunContext<T> {
  run: ChaosRun;
  target: T;
  collector: Collector;
  deployment: string;
  step<R>(name: string, fn: () => Promise<R>, detail?: (r: R) => string): Promise<R>;
  check(c: CheckInput): void;
  /** Snapshots of the deployment's collector every half second for ms (ends early on abort). */
  sample(ms: number): Promise<Snapshot[]>;
  /** Aborted: a driver's own waits end at once. */
  signal: AbortSignal;
}

export interface ExternalRunContext extends DevStackRunContext<ExternalTarget> {
  /** The console-run fault proxy of this deployment (`chaos.proxy`), listening; null without one. */
  proxy: ConsoleProxy | null;
}

const param = (ctx: ExternalRunContext, name: string) => ctx.run.params[name];
const secs = (ms: number | null) => (ms === null ? null : Math.round(ms / 10) / 100);
/** Every node paused: the outage written once for the dev stacks (dev-outage.ts). */
function outage(ctx: ExternalRunContext): Promise<void> {
  const t = ctx.target;
  return devStackOutage(ctx, {
    step: "pause every node",
    pause: async (ms) => {
      await t.pause(ms, param(ctx, "mode") === "write-pause" ? "WRITE" : "ALL");
      return `CLIENT PAUSE ${ms} on ${t.opts.nodes.length} nodes`;
    },
  });
}

/** The master filled: memory-pressure written once for the dev stacks (dev-memory.ts). */
function memoryPressure(ctx: ExternalRunContext): Promise<void> {
  return devStackMemoryPressure(ctx, {
    step: "fill memory",
    fill: (percent, ttlMs, policy) => ctx.target.fillMemory(percent, ttlMs, policy),
    describe: (r) => `${r.keys} filler keys, ${r.usedPercent}% of ${r.maxmemory} bytes, ${r.evicted} evicted`,
  });
}

/** SENTINEL FAILOVER, then the new master as the sentinels and the node itself say: failover written once for the dev stacks (dev-failover.ts). */
function sentinelFailover(ctx: ExternalRunContext): FailoverScope {
  const t = ctx.target;
  let old: string | null = null;
  return {
    ask: {
      step: "SENTINEL FAILOVER",
      run: async () => {
        old = addr(await t.master());
        return `accepted by sentinel ${await t.failover()}`;
      },
    },
    wait: {
      step: "wait for a new master",
      promoted: async () => {
        const m = addr(await t.master());
        return m !== old ? m : null;
      },
      everyMs: 250,
      detail: (m, ms) => (m ? `new master ${m} after ${secs(ms)} s` : `no new master within ${PROMOTION_WAIT_MS / 1000} s`),
    },
    check: { claim: "failover-automatic", expect: CLAIMS["failover-automatic"] },
  };
}

function failover(ctx: ExternalRunContext): Promise<void> {
  return devStackFailover(ctx, sentinelFailover(ctx));
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
      const expect = `${id} ok again within ${RECOVERY_CLAIM_SECONDS} s of a master restart`;
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
          ok: recoveryHeld(recovery),
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
      const f = await promote(ctx, sentinelFailover(ctx));
      ctx.run.metrics.promotion_s = f.promoted ? secs(f.ms) : null;
      if (!f.promoted) throw new Error(`Sentinel promoted no new master within ${PROMOTION_WAIT_MS / 1000} s`);
    }
    await ctx.sample(3000);
    // Marked stopped only once the step runs: an abort before it leaves the writer to the finally below.
    const loss = await ctx.step(
      "stop the writer and read back",
      () => ((stopped = true), writer.stop()),
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

export const EXTERNAL_DRIVERS: Record<Exclude<ExternalScenario, CapabilityDriven>, (ctx: ExternalRunContext) => Promise<void>> = {
  outage,
  "memory-pressure": memoryPressure,
  failover,
  latency: devStackLatency,
  "restart-under-load": restartUnderLoad,
  "data-integrity": dataIntegrity,
};
