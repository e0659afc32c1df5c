import "server-only";
/**
 * Chaos runs on an external deployment (docs/chaos-dev-stack.md): what only a dev stack has —
 * the three keys and the lock before every run, faults by command through the external target
 * with a journal, the journal's restore and post-flight at the end. The run itself (its record
 * and states, the abort, the restore that always runs, the takeover) is the one engine's
 * (../run-engine.ts), as on the sandboxes. Checks about layers that are not configured are not
 * exercised, and say so.
 */
import type { Collector } from "../../collector/collector";
import type { Deployment } from "../../deployments/registry";
import { RunStore } from "../run-store";
import { RunEngine, newRunId, waitSteady, type AbortAnswer, type StartResult } from "../run-engine";
import { journalBackendFor } from "../../store/journal-backend";
import { recordsFor } from "../../store/instance";
import type { RunRecord } from "../run-record";
import { DEV_STACK_STEADY, steadyStateProblems } from "../steady-state";
import type { ChaosRun, GuardrailAbort } from "../types";
import type { CheckInput } from "../verdict";
import type { ExternalScenario } from "./external-params";
import { askSentinelPlan, parseSentinelScenario, type Availability } from "./sentinel-dev-stack";
import { devStackAvailability } from "./dev-availability";
import { EXTERNAL_DRIVERS } from "./external-scenarios";
import { EXTERNAL_CAPABILITY_SCENARIOS, isCapabilityDriven } from "./external-capabilities";
import { RunContext } from "../run-context";
import { externalOptions } from "./for-deployment";
import type { JournalBackend } from "../journal";
import { refusalMessage } from "./opt-in";
import { externalPlan } from "./plan";
import { BoundedAnswerCache } from "./plan-cache";
import { ConsoleProxy } from "./console-proxy";
import { JournalRecovery, recoveryEvent, type RecoveryResult } from "./journal-recovery";
import type { RestoreAccess } from "./restore";
import { ChaosSession } from "./session";
import { ClusterChaosSession } from "./cluster-session";
import { CLUSTER_DEV_DRIVERS } from "./cluster-scenarios";
import type { ClusterDevScenario } from "./cluster-params";
import { askClusterPlan, clusterDevSteadyProblems, clusterOptions, isClusterDevStack, parseClusterScenario } from "./cluster-dev-stack";

const LOCK_TTL_MS = 15_000;
const PREFLIGHT_WAIT_MS = 15_000;

export class ExternalChaos {
  readonly store: RunStore;
  private readonly engine: RunEngine;
  /** Where this deployment's journal is committed: the store shared by the replicas, or the file in its dir. */
  private readonly journal: JournalBackend;

  /** The console-run fault proxy (`chaos.proxy`): latency's only way onto a stack the console does not own. */
  readonly proxy: ConsoleProxy | null;

  constructor(readonly deployment: Deployment) {
    this.store = new RunStore(recordsFor(deployment.name).runs);
    this.engine = new RunEngine(deployment.name, this.store, this.collector.timeline);
    this.journal = journalBackendFor(deployment.name, deployment.dir);
    this.recovery = new JournalRecovery(
      this.journal,
      () => this.recoveryAccess(),
      (r) => this.recoveryResult(r),
      (runId) => this.starting || this.engine.activeRun()?.id === runId,
    );
    if (this.journal.orphaned) {
      // Several replicas: a dead one's journal becomes this one's to undo, and its run this one's to end.
      this.recovery.watch(2000);
      this.engine.takeOverDeadReplicasRuns(() => this.restoreFromJournal());
    }
    const opts = externalOptions(this.collector.settings);
    const c = this.collector.settings;
    this.proxy = opts?.proxy && c.chaos?.allow ? new ConsoleProxy(opts.proxy, opts.sentinels, c.redis.masterName, opts.sentinelAuth, opts.timeoutMs) : null;
    void this.proxy?.start();
  }

  private get collector(): Collector {
    return this.deployment.collector;
  }

  /** A run by id: this replica's, or another's from the store. */
  find(id: string): Promise<ChaosRun | null> {
    return this.engine.find(id);
  }

  activeRun(): ChaosRun | null {
    return this.engine.activeRun();
  }

  /** Another replica's run, taken over: its journal undone here; what the run's restore step says. */
  private async restoreFromJournal(): Promise<string> {
    await this.recovery.kick();
    const s = await this.recovery.status();
    if (s.journal) throw new Error(`its fault journal is not finished (the console retries): ${s.problems.join("; ")}`);
    return "its faults were undone from the journal in the store";
  }

  /** `by`: the guardrail that stopped it (recorded on the run); none for a person's abort. */
  abort(id: string, by?: GuardrailAbort): Promise<AbortAnswer> {
    return this.engine.abort(id, by);
  }

  private availabilityCache: { at: number; value: Promise<Availability[]> } | null = null;

  /** Per scenario: can this target run it, and why not. Asked again at most every 10 s (the page polls every 3 s). */
  availability(): Promise<Availability[]> {
    if (!this.availabilityCache || Date.now() - this.availabilityCache.at > 10_000)
      this.availabilityCache = { at: Date.now(), value: devStackAvailability(this.collector.settings, this.deployment.dir, this.proxy) };
    return this.availabilityCache.value;
  }

  /** A Redis Cluster dev stack (`redis.cluster`): its own target, session and drivers in the same run. */
  private get cluster(): boolean {
    return isClusterDevStack(this.collector.settings);
  }

  /** Each plan opens 3-6 connections with the chaos credential: one per scenario and params for 10 s, two at once at most. */
  private readonly plans = new BoundedAnswerCache<ReturnType<typeof externalPlan>>(10_000, 2);

  async plan(
    scenario: string,
    raw: unknown,
  ): Promise<{ ok: true; plan: ReturnType<typeof externalPlan> } | { ok: false; status: 400 | 403 | 429; error: string }> {
    const parsed = this.parse(scenario, raw);
    if (!parsed.ok) return parsed;
    const opts = externalOptions(this.collector.settings);
    const copts = clusterOptions(this.collector.settings);
    if (!opts || (this.cluster && !copts)) return { ok: false, status: 403, error: 'chaos refused (chaos.allow): no "chaos" credential in the config' };
    const plan = this.plans.get(`${parsed.scenario} ${JSON.stringify(parsed.params)}`, () =>
      copts
        ? askClusterPlan(copts, this.deployment.dir, parsed.scenario as ClusterDevScenario, parsed.params, LOCK_TTL_MS)
        : askSentinelPlan(opts, this.deployment.dir, parsed, LOCK_TTL_MS),
    );
    if (!plan) return { ok: false, status: 429, error: "two plans are being asked of this target already: ask again in a second" };
    // A shard the cluster does not have is the asker's mistake, not a target that did not answer.
    return plan.then(
      (p) => ({ ok: true as const, plan: p }),
      (err: Error) => {
        if (/^no shard-\d+ in this cluster/.test(err.message)) return { ok: false as const, status: 400 as const, error: err.message };
        throw err;
      },
    );
  }

  private parse(
    scenario: string,
    raw: unknown,
  ): { ok: true; scenario: ExternalScenario; params: Record<string, unknown> } | { ok: false; status: 400; error: string } {
    // The cluster's scenarios are a subset of the external ones, with a shard to act on.
    if (this.cluster) return parseClusterScenario(this.deployment.name, scenario, raw) as ReturnType<ExternalChaos["parse"]>;
    return parseSentinelScenario(this.deployment.name, scenario, raw);
  }

  /** A journal left unfinished (a dead console, a failed restore) is restored with backoff; runs wait for it (409). */
  readonly recovery: JournalRecovery;

  private recoveryAccess(): RestoreAccess | null {
    const opts = externalOptions(this.collector.settings);
    return opts ? { auth: opts.auth, sentinelAuth: opts.sentinelAuth, timeoutMs: opts.timeoutMs } : null;
  }

  private recoveryResult(r: RecoveryResult): void {
    this.collector.timeline.append(recoveryEvent(r));
  }

  async start(scenario: string, raw: unknown, origin: ChaosRun["origin"]): Promise<StartResult> {
    const parsed = this.parse(scenario, raw);
    if (!parsed.ok) return parsed;
    const active = this.activeRun();
    if (active) return { ok: false, status: 409, error: `run ${active.id} (${active.scenario}) is in progress: wait for it or abort it` };
    if (this.starting) return { ok: false, status: 409, error: "another run is being started on this target: wait for it" };
    const unfinished = await this.recovery.refusal();
    if (unfinished) return { ok: false, status: 409, error: unfinished };
    const busy = await this.engine.busy();
    if (busy) return { ok: false, status: 409, error: busy };
    this.starting = true;
    try {
      return await this.begin(parsed, origin);
    } finally {
      this.starting = false;
    }
  }

  /** Set from the first await of start() until the run is active: two starts never begin two journals. */
  private starting = false;

  private async begin(parsed: { scenario: ExternalScenario; params: Record<string, unknown> }, origin: ChaosRun["origin"]): Promise<StartResult> {
    const scenario = parsed.scenario;
    // A scenario this target cannot do (no DEBUG, no fault proxy) is a 400 naming why; the three keys are checked below, as 403s.
    const cannot = (await this.availability()).find((a) => a.scenario === scenario && a.lacks);
    if (cannot) return { ok: false, status: 400, error: `${scenario} cannot run on the external target "${this.deployment.name}": ${cannot.reason}` };
    const opts = externalOptions(this.collector.settings);
    const id = newRunId(scenario);
    if (!opts)
      return {
        ok: false,
        status: 403,
        error: `chaos refused (chaos.allow): deployment "${this.deployment.name}" has no "chaos": {"allow": true, "username": …} in its config. Fix: add it to CONSOLE_CONFIG and restart the console`,
      };
    const common = {
      allow: this.collector.settings.chaos?.allow,
      dataDir: this.deployment.dir,
      journal: this.journal,
      runId: id,
      lockTtlMs: LOCK_TTL_MS,
      onRevoked: (reason: string) => this.engine.abortWith(id, reason),
    };
    const copts = clusterOptions(this.collector.settings);
    const begun = await (copts ? ClusterChaosSession.begin({ ...copts, ...common }) : ChaosSession.begin({ ...opts, ...common })).catch((err: Error) => ({
      ok: false as const,
      refusal: {
        key: "marker" as const,
        reason: `the target did not answer the chaos user: ${err.message}`,
        fix: "check chaos.username/chaos.password and the ACL line in docs/chaos-dev-stack.md",
      },
    }));
    if (!begun.ok) return { ok: false, status: begun.refusal.key === "journal" ? 409 : 403, error: refusalMessage(begun.refusal) };
    const noShard = begun.session instanceof ClusterChaosSession ? begun.session.target.lacksShard(parsed.params.shard, scenario) : null;
    if (noShard) {
      await begun.session.end().catch(() => undefined);
      return { ok: false, status: 400, error: `${scenario} cannot run on "${this.deployment.name}": ${noShard}` };
    }
    // Pre-flight, with the keys checked and the lock held but nothing injected: a run on an unsteady stack would prove nothing.
    const unsteady = await this.waitSteady();
    if (unsteady.length) {
      await begun.session.end().catch(() => undefined);
      return {
        ok: false,
        status: 409,
        error: `pre-flight: the target is not in steady state, so a run would prove nothing: ${unsteady.join("; ")}`,
        problems: unsteady,
      };
    }
    const session = begun.session;
    const started = this.engine.start(
      { id, scenario, params: parsed.params, origin, steps: [], where: ` on external target ${this.deployment.name}` },
      {
        // Written once against capabilities: that scenario's claims; a dev-stack driver judges its own.
        claims: session instanceof ChaosSession && isCapabilityDriven(scenario) ? EXTERNAL_CAPABILITY_SCENARIOS[scenario].info.claims : [],
        run: (record) => this.drive(record, session),
        close: (record) => this.close(record, session),
      },
    );
    // Cannot happen while `starting` holds other starts off; the lock is not left held if it did.
    if (!started.ok) await session.end().catch(() => undefined);
    return started;
  }

  /** The deployment's snapshot until it is steady (DEV_STACK_STEADY) or PREFLIGHT_WAIT_MS pass; the problems left. */
  private waitSteady(): Promise<string[]> {
    const look = () => (this.cluster ? clusterDevSteadyProblems(this.collector.snapshot()) : steadyStateProblems(this.collector.snapshot(), DEV_STACK_STEADY));
    return waitSteady(look, PREFLIGHT_WAIT_MS);
  }

  /** The scenario on this dev stack: written once against capabilities, or this stack's driver. */
  private async drive(record: RunRecord, session: ChaosSession | ClusterChaosSession): Promise<void> {
    const { run } = record;
    // The same context as a sandbox scenario's: its steps, checks and samples end at once on an abort.
    const ctx = new RunContext(record, run.params, session.target, this.collector);
    const common = {
      run,
      collector: this.collector,
      deployment: this.deployment.name,
      signal: record.signal,
      step: <T>(name: string, fn: () => Promise<T>, detail?: (t: T) => string) => ctx.step(name, fn, detail),
      check: (c: CheckInput) => ctx.check(c),
      sample: (ms: number) => ctx.sample(ms),
    };
    const scenario = run.scenario as ExternalScenario;
    if (session instanceof ClusterChaosSession) await CLUSTER_DEV_DRIVERS[run.scenario as ClusterDevScenario]({ ...common, target: session.target });
    // Written once against capabilities: the same scenario as on the sandbox, with this target's offers.
    else if (isCapabilityDriven(scenario)) await EXTERNAL_CAPABILITY_SCENARIOS[scenario].run(ctx.withControl(session.target));
    else await EXTERNAL_DRIVERS[scenario]({ ...common, target: session.target, proxy: this.proxy && !this.proxy.problem ? this.proxy : null });
  }

  /** The journal's restore and post-flight, one closing step; true when the target is as the journal found it. */
  private async close(record: RunRecord, session: ChaosSession | ClusterChaosSession): Promise<boolean> {
    const { run } = record;
    await record.closingStep("restore and post-flight", async () => {
      const { done, problems } = await session.end();
      // A pause past down-after-milliseconds may have let Sentinel promote the replica: the run says so.
      const moved = done.find((d) => d.startsWith("Sentinel failed over during the run"));
      if (moved) run.metrics.master_moved = moved.replace(/^Sentinel failed over during the run: /, "");
      run.postflight = { healthy: problems.length === 0, problems };
      // The journal stays (it holds the originals): retried with backoff, and runs wait for it.
      if (problems.length) this.recovery.kick();
      if (problems.length) throw new Error(`the target differs from the journal's originals: ${problems.join("; ")}`);
      return done.join("; ");
    });
    return run.postflight?.healthy === true;
  }
}

const KEY = Symbol.for("redis-resilience-console.external-chaos");
type WithExternal = typeof globalThis & { [KEY]?: Map<string, ExternalChaos> };

/** The external chaos of a deployment that opted in with `chaos` in its config (null otherwise); the first call restores an unfinished journal. */
export function externalChaosFor(d: Deployment): ExternalChaos | null {
  if (d.chaos || d.collector.settings.source !== "external" || !d.collector.settings.chaos) return null;
  const g = globalThis as WithExternal;
  const all = (g[KEY] ??= new Map());
  let e = all.get(d.name);
  if (!e) {
    e = new ExternalChaos(d);
    all.set(d.name, e);
    e.recovery.kick();
  }
  return e;
}
