import "server-only";
/**
 * What each scenario does on an external target, by command alone (external.ts), with the
 * layers watched through the deployment's collector or driven through their own probes
 * (probe-traffic.ts). The run around it (keys, lock, journal, restore, post-flight) is
 * external-run.ts's. A check about a layer the config does not name is not exercised, and says so.
 */
import type { Collector } from "../../collector/collector";
import { LAYER_IDS, type LayerId } from "../../contract/failure-contract";
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
import { judgeL1Latency, L1_P99_TARGET_MS } from "../scenarios/latency-claim";
import { probePercentile, ProbeTraffic, recoveryOf, type ProbeSample } from "./probe-traffic";
import { waitForAnswer } from "./restore";
import type { CapabilityDriven } from "./external-capabilities";
import { devStackMemoryPressure } from "./dev-memory";
import { devStackOutage } from "./dev-outage";
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
}

export interface ExternalRunContext extends DevStackRunContext<ExternalTarget> {
  /** The console-run fault proxy of this deployment (`chaos.proxy`), listening; null without one. */
  proxy: ConsoleProxy | null;
}

const NEW_MASTER_WAIT_MS = 30_000;

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
      const f = await failOver(ctx);
      ctx.run.metrics.promotion_s = f.promoted ? secs(f.ms) : null;
      if (!f.promoted) throw new Error(`Sentinel promoted no new master within ${NEW_MASTER_WAIT_MS / 1000} s`);
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

/**
 * Latency at the console's fault proxy while the configured layers' probes run: L1's P99 against
 * the guide's "~120 ms+ at 100 ms" and its 50 ms target. Only layers that reach Redis through the
 * proxy get slower; if none did, the latency never reached the path, and the claim is not exercised.
 */
async function latency(ctx: ExternalRunContext): Promise<void> {
  const proxy = ctx.proxy;
  if (!proxy) throw new Error("no console-run fault proxy for this deployment");
  const ms = Number(param(ctx, "ms"));
  const holdMs = Number(param(ctx, "durationSeconds")) * 1000;
  const everyMs = Number(param(ctx, "probeEveryMs"));
  const timeoutMs = ctx.collector.settings.timeouts.probeMs;
  const measure = async (what: string, forMs: number) => {
    const traffic = new ProbeTraffic(ctx.collector.settings.layers, everyMs, timeoutMs);
    traffic.start();
    // An abort ends the sample at once (RunAborted): the probes stop either way.
    const samples = await ctx.sample(forMs).then(
      () => traffic.stop(),
      async (err: unknown) => {
        await traffic.stop();
        throw err;
      },
    );
    return { what, samples };
  };
  const line = (m: Map<LayerId, ProbeSample[]>) =>
    [...m.entries()].map(([id, x]) => `${id} P50 ${probePercentile(x, 50) ?? "—"} / P99 ${probePercentile(x, 99) ?? "—"} ms (${x.length})`).join(", ");
  const baseline = await ctx.step(
    "measure the baseline",
    () => measure("baseline", 4000),
    (b) => line(b.samples),
  );
  await ctx.step(
    "add latency at the console's proxy",
    async () => proxy.setLatency(ms, Number(param(ctx, "jitterMs"))),
    () => `+${ms} ms (± ${param(ctx, "jitterMs")}) on ${proxy.listen.host}:${proxy.listen.port}, ${proxy.connections} connections through it`,
  );
  let during: Awaited<ReturnType<typeof measure>>;
  try {
    during = await ctx.step(
      "hold under latency",
      () => measure("during", holdMs),
      (d) => line(d.samples),
    );
  } finally {
    proxy.clearLatency();
  }
  const rises = [...during.samples.entries()].map(([id, x]) => {
    const before = probePercentile(baseline.samples.get(id) ?? [], 50);
    const now = probePercentile(x, 50);
    return { id, rise: before === null || now === null ? null : now - before };
  });
  for (const r of rises) ctx.run.metrics[`p50_rise_${r.id}_ms`] = r.rise;
  const l1 = during.samples.get("L1") ?? [];
  const p99 = probePercentile(l1, 99);
  ctx.run.metrics.l1_p99_ms = p99;
  ctx.run.metrics.l1_p99_baseline_ms = probePercentile(baseline.samples.get("L1") ?? [], 99);
  const v = judgeL1Latency(ms, p99);
  const l1Rise = rises.find((r) => r.id === "L1")?.rise ?? null;
  const seen = p99 === null ? "no L1 probe answered" : `L1 P99 ${p99} ms over ${l1.length} probes (baseline ${ctx.run.metrics.l1_p99_baseline_ms ?? "—"} ms)`;
  const premise = !layerOf(ctx, "L1")
    ? notConfigured(ctx, "L1")
    : p99 === null
      ? "no L1 probe answered under the added latency"
      : l1Rise === null || l1Rise < ms / 2
        ? `L1's median did not rise by ${ms / 2} ms (${l1Rise ?? "—"} ms): its Redis address does not go through the console's proxy at ${proxy.listen.host}:${proxy.listen.port}`
        : null;
  const claimExpect = `L1 P99 ≈ ${v.predictedMs} ms or more (the ${ms} ms round trip + ~20 ms); holds from ${v.floorMs} ms (10 % tolerance)`;
  const targetExpect = v.targetMissPredicted
    ? `L1 P99 misses the ${L1_P99_TARGET_MS} ms target, as the guide predicts at ${ms} ms`
    : `L1 P99 stays within the ${L1_P99_TARGET_MS} ms target, as ${v.predictedMs} ms predicts`;
  if (premise) {
    for (const expect of [claimExpect, targetExpect]) ctx.check({ claim: "latency-l1-p99", layer: "L1", expect, observed: seen, notExercised: premise });
    return;
  }
  ctx.check({ claim: "latency-l1-p99", layer: "L1", expect: claimExpect, observed: seen, ok: v.claimHolds });
  ctx.check({
    claim: "latency-l1-p99",
    layer: "L1",
    expect: targetExpect,
    observed: `${p99} ms: target ${v.targetMet ? "met" : "missed"}`,
    ok: v.targetMet !== v.targetMissPredicted,
  });
}

export const EXTERNAL_DRIVERS: Record<Exclude<ExternalScenario, CapabilityDriven>, (ctx: ExternalRunContext) => Promise<void>> = {
  outage,
  "memory-pressure": memoryPressure,
  failover,
  latency,
  "restart-under-load": restartUnderLoad,
  "data-integrity": dataIntegrity,
};
