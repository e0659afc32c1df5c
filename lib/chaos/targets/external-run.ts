import "server-only";
/**
 * Chaos runs on an external deployment (docs/chaos-dev-stack.md): the three keys
 * before every run, faults by command through the external target, the layers watched through
 * the deployment's own collector, and always the journal's restore and post-flight at the end.
 * Checks about layers that are not configured are not exercised, and say so.
 */
import crypto from "node:crypto";
import type { Collector } from "../../collector/collector";
import { SCENARIO_IDS } from "../../contract/scenarios";
import type { Snapshot } from "../../snapshot/types";
import type { Deployment } from "../../deployments/registry";
import { RunStore } from "../run-store";
import { askAbortThroughStore, startTakeover, storedRun, takeOverRun, watchRun } from "../run-handover";
import { journalBackendFor } from "../../store/journal-backend";
import { recordsFor } from "../../store/instance";
import { sharedActiveRun } from "../../store/shared-lists";
import type { StartResult } from "../runner";
import { RunAborted, RunRecord } from "../run-record";
import { DEV_STACK_STEADY, steadyStateProblems } from "../steady-state";
import type { ChaosRun, FinalState, GuardrailAbort } from "../types";
import { everyCheckHeld, makeCheck, type CheckInput } from "../verdict";
import { scenarioAvailability, type CapabilityAnswer } from "./capabilities";
import { ExternalTarget } from "./external";
import { EXTERNAL_PARAMS, EXTERNAL_SCENARIOS, type ExternalScenario } from "./external-params";
import { EXTERNAL_DRIVERS } from "./external-scenarios";
import { EXTERNAL_CAPABILITY_SCENARIOS, isCapabilityDriven } from "./external-capabilities";
import { RunContext } from "../run-context";
import { externalOptions } from "./for-deployment";
import { FaultJournal, type JournalBackend } from "../journal";
import { refusalMessage } from "./opt-in";
import { externalPlan } from "./plan";
import { BoundedAnswerCache } from "./plan-cache";
import { ConsoleProxy } from "./console-proxy";
import { JournalRecovery, type RecoveryResult } from "./journal-recovery";
import type { RestoreAccess } from "./restore";
import { ChaosSession } from "./session";
import { ClusterChaosSession } from "./cluster-session";
import { CLUSTER_DEV_DRIVERS } from "./cluster-scenarios";
import type { ClusterDevScenario } from "./cluster-params";
import { askClusterPlan, clusterAvailability, clusterDevSteadyProblems, clusterOptions, isClusterDevStack, parseClusterScenario } from "./cluster-dev-stack";

const LOCK_TTL_MS = 15_000;
const PREFLIGHT_WAIT_MS = 15_000;

/** `lacks`: unavailable for want of a capability (DEBUG, a fault proxy), not for want of opt-in or an answer. */
type Availability = { scenario: string; available: boolean; reason: string | null; lacks?: boolean };

export class ExternalChaos {
  readonly store: RunStore;
  private active: { record: RunRecord; controller: AbortController; unwatch: () => void } | null = null;
  /** Where this deployment's journal is committed: the store shared by the replicas, or the file in its dir. */
  private readonly journal: JournalBackend;

  /** The console-run fault proxy (`chaos.proxy`): latency's only way onto a stack the console does not own. */
  readonly proxy: ConsoleProxy | null;

  constructor(readonly deployment: Deployment) {
    this.store = new RunStore(recordsFor(deployment.name).runs);
    this.journal = journalBackendFor(deployment.name, deployment.dir);
    this.recovery = new JournalRecovery(
      this.journal,
      () => this.recoveryAccess(),
      (r) => this.recoveryResult(r),
      (runId) => this.starting || this.active?.record.run.id === runId,
    );
    if (this.journal.orphaned) {
      // Several replicas: a dead one's journal becomes this one's to undo, and its run this one's to end.
      this.recovery.watch(2000);
      startTakeover(deployment.name, (run) => takeOverRun(run, { restore: () => this.restoreFromJournal() }, this.store, this.collector.timeline));
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
  async find(id: string): Promise<ChaosRun | null> {
    return this.store.get(id) ?? (await storedRun(id));
  }

  activeRun(): ChaosRun | null {
    return this.active?.record.run ?? null;
  }

  /** Another replica's run, taken over: its journal undone here; what the run's restore step says. */
  private async restoreFromJournal(): Promise<string> {
    await this.recovery.kick();
    const s = await this.recovery.status();
    if (s.journal) throw new Error(`its fault journal is not finished (the console retries): ${s.problems.join("; ")}`);
    return "its faults were undone from the journal in the store";
  }

  /** `by`: the guardrail that stopped it (recorded on the run); none for a person's abort. */
  async abort(id: string, by?: GuardrailAbort): Promise<{ ok: boolean; status: 404 | 409 | 202; error?: string }> {
    if (this.active?.record.run.id !== id) {
      // Another replica's run: asked through the store, its replica stops it on its next look.
      const remote = this.store.get(id) ? "final" : await askAbortThroughStore(id);
      if (remote === "asked") return { ok: true, status: 202 };
      return remote === "none" ? { ok: false, status: 404, error: `no run "${id}"` } : { ok: false, status: 409, error: `run ${id} is not running` };
    }
    // A run already restoring keeps the outcome it had: the abort has nothing left to stop.
    if (this.active.record.run.state === "running") {
      if (by) this.active.record.run.abortedBy = by;
      this.active.controller.abort();
    }
    return { ok: true, status: 202 };
  }

  private availabilityCache: { at: number; value: Promise<Availability[]> } | null = null;

  /** Per scenario: can this target run it, and why not. Asked again at most every 10 s (the page polls every 3 s). */
  availability(): Promise<Availability[]> {
    if (!this.availabilityCache || Date.now() - this.availabilityCache.at > 10_000) this.availabilityCache = { at: Date.now(), value: this.askAvailability() };
    return this.availabilityCache.value;
  }

  private async askAvailability(): Promise<Availability[]> {
    if (this.cluster) return this.askClusterAvailability();
    const opts = externalOptions(this.collector.settings);
    let answers: CapabilityAnswer[] = [];
    let why: string | null = null;
    if (!opts || !this.collector.settings.chaos?.allow) why = 'not opted in: the deployment\'s config has no "chaos": {"allow": true, "username": …}';
    else
      answers = await new ExternalTarget(opts, new FaultJournal(this.deployment.dir, opts.deployment, "probe"))
        .capabilities()
        .catch((err: Error) => ((why = err.message), []));
    return SCENARIO_IDS.map((scenario) => {
      if (why) return { scenario, available: false, reason: why };
      if (scenario === "latency" && this.proxy?.problem) return { scenario, available: false, reason: this.proxy.problem, lacks: true };
      const a = scenarioAvailability(answers, scenario);
      if (a.available && !(EXTERNAL_SCENARIOS as string[]).includes(scenario))
        return { scenario, available: false, reason: `not yet driven on an external target: it can run ${EXTERNAL_SCENARIOS.join(", ")}` };
      return { scenario, ...a, ...(a.available ? {} : { lacks: true }) };
    });
  }

  /** A Redis Cluster dev stack (`redis.cluster`): its own target, session and drivers in the same run. */
  private get cluster(): boolean {
    return isClusterDevStack(this.collector.settings);
  }

  private async askClusterAvailability(): Promise<Availability[]> {
    const opts = clusterOptions(this.collector.settings);
    const why = !opts || !this.collector.settings.chaos?.allow ? 'not opted in: the deployment\'s config has no "chaos": {"allow": true, "username": …}' : null;
    const answers = why ? null : await clusterAvailability(opts!, this.deployment.dir, SCENARIO_IDS).catch((err: Error) => err);
    if (answers && !(answers instanceof Error)) return answers;
    return SCENARIO_IDS.map((scenario) => ({ scenario, available: false, reason: why ?? (answers as Error).message }));
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
      copts ? askClusterPlan(copts, this.deployment.dir, parsed.scenario as ClusterDevScenario, parsed.params, LOCK_TTL_MS) : this.askPlan(parsed, opts),
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

  private async askPlan(parsed: { scenario: ExternalScenario; params: Record<string, unknown> }, opts: NonNullable<ReturnType<typeof externalOptions>>) {
    const target = new ExternalTarget(opts, new FaultJournal(this.deployment.dir, opts.deployment, "plan"));
    const master = await target.master().catch(() => opts.nodes[0]);
    const downAfterMs = await target.downAfterMs();
    const crashes = parsed.scenario === "restart-under-load" || (parsed.scenario === "data-integrity" && parsed.params.mode !== "failover");
    const persistence = crashes ? await target.persistence() : null;
    return externalPlan(parsed.scenario, parsed.params, { ...opts, master, lockTtlMs: LOCK_TTL_MS, downAfterMs, persistence });
  }

  private parse(
    scenario: string,
    raw: unknown,
  ): { ok: true; scenario: ExternalScenario; params: Record<string, unknown> } | { ok: false; status: 400; error: string } {
    // The cluster's scenarios are a subset of the external ones, with a shard to act on.
    if (this.cluster) return parseClusterScenario(this.deployment.name, scenario, raw) as ReturnType<ExternalChaos["parse"]>;
    if (!(EXTERNAL_SCENARIOS as string[]).includes(scenario))
      return {
        ok: false,
        status: 400,
        error: `scenario "${scenario.slice(0, 64)}" cannot run on the external target "${this.deployment.name}": it can run ${EXTERNAL_SCENARIOS.join(", ")}`,
      };
    const p = EXTERNAL_PARAMS[scenario as ExternalScenario].safeParse(raw ?? {});
    if (!p.success)
      return {
        ok: false,
        status: 400,
        error: `invalid params for ${scenario} on an external target: ${p.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`,
      };
    return { ok: true, scenario: scenario as ExternalScenario, params: p.data as Record<string, unknown> };
  }

  /** A journal left unfinished (a dead console, a failed restore) is restored with backoff; runs wait for it (409). */
  readonly recovery: JournalRecovery;

  private recoveryAccess(): RestoreAccess | null {
    const opts = externalOptions(this.collector.settings);
    return opts ? { auth: opts.auth, sentinelAuth: opts.sentinelAuth, timeoutMs: opts.timeoutMs } : null;
  }

  private recoveryResult(r: RecoveryResult): void {
    this.collector.timeline.append({
      kind: "chaos",
      severity: "warn",
      subject: r.runId,
      title: r.problems.length
        ? `Chaos run ${r.runId}'s journal is NOT finished: its restore failed (attempt ${r.attempt}); chaos waits and the console retries`
        : `Chaos run ${r.runId}'s faults were undone from the journal${r.attempt > 1 ? ` (attempt ${r.attempt})` : ""}`,
      detail: [...r.done, ...r.problems].join("; "),
    });
  }

  async start(scenario: string, raw: unknown, origin: ChaosRun["origin"]): Promise<StartResult> {
    const parsed = this.parse(scenario, raw);
    if (!parsed.ok) return parsed;
    const active = this.activeRun();
    if (active) return { ok: false, status: 409, error: `run ${active.id} (${active.scenario}) is in progress: wait for it or abort it` };
    if (this.starting) return { ok: false, status: 409, error: "another run is being started on this target: wait for it" };
    const unfinished = await this.recovery.refusal();
    if (unfinished) return { ok: false, status: 409, error: unfinished };
    const elsewhere = await sharedActiveRun(this.deployment.name, null);
    if (elsewhere)
      return { ok: false, status: 409, error: `run ${elsewhere.id} (${elsewhere.scenario}) is in progress on another replica: wait for it or abort it` };
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
    const id = `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}-${scenario}-${crypto.randomBytes(3).toString("hex")}`;
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
      onRevoked: (reason: string) => {
        if (this.active?.record.run.id !== id) return;
        this.active.record.run.error ??= reason;
        this.active.controller.abort();
      },
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
    const run: ChaosRun = {
      id,
      scenario: parsed.scenario,
      params: parsed.params,
      state: "running",
      startedAt: new Date().toISOString(),
      endedAt: null,
      origin,
      steps: [],
      checks: [],
      metrics: {},
      postflight: null,
    };
    const controller = new AbortController();
    const record = new RunRecord(run, this.store, this.collector.timeline, controller.signal);
    // Alive for the other replicas (a silent one's run and journal are taken over), and an abort asked on any of them reaches this one.
    const unwatch = watchRun(id, () => run.state === "running" && controller.abort());
    this.active = { record, controller, unwatch };
    this.store.save(run);
    this.collector.timeline.append({
      kind: "chaos",
      severity: "warn",
      subject: id,
      title: `Chaos run ${scenario} started on external target ${this.deployment.name}`,
      detail: JSON.stringify(run.params),
    });
    void this.execute(record, begun.session);
    return { ok: true, run };
  }

  /** The deployment's snapshot until it is steady (DEV_STACK_STEADY) or PREFLIGHT_WAIT_MS pass; the problems left. */
  private async waitSteady(): Promise<string[]> {
    const deadline = Date.now() + PREFLIGHT_WAIT_MS;
    const look = () => (this.cluster ? clusterDevSteadyProblems(this.collector.snapshot()) : steadyStateProblems(this.collector.snapshot(), DEV_STACK_STEADY));
    let problems = look();
    while (problems.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      problems = look();
    }
    return problems;
  }

  /** Snapshots of the deployment's collector every half second for ms; ends at once on abort. */
  private async sample(ms: number, signal: AbortSignal): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    const end = Date.now() + ms;
    while (Date.now() < end && !signal.aborted) {
      out.push(this.collector.snapshot());
      await new Promise((r) => setTimeout(r, 500));
    }
    return out;
  }

  private async execute(record: RunRecord, session: ChaosSession | ClusterChaosSession): Promise<void> {
    const { run } = record;
    let failed = false;
    const common = {
      run,
      collector: this.collector,
      deployment: this.deployment.name,
      signal: record.signal,
      step: <T>(name: string, fn: () => Promise<T>, detail?: (t: T) => string) => record.step(name, fn, detail),
      check: (c: CheckInput) => (run.checks.push(makeCheck(c)), record.save()),
      sample: (ms: number) => this.sample(ms, record.signal),
    };
    try {
      const scenario = run.scenario as ExternalScenario;
      if (session instanceof ClusterChaosSession) await CLUSTER_DEV_DRIVERS[run.scenario as ClusterDevScenario]({ ...common, target: session.target });
      // Written once against capabilities: the same scenario as on the sandbox, with this target's offers.
      else if (isCapabilityDriven(scenario))
        await EXTERNAL_CAPABILITY_SCENARIOS[scenario].run(new RunContext(record, run.params, session.target, this.collector));
      else
        await EXTERNAL_DRIVERS[scenario]({
          ...common,
          target: session.target,
          proxy: this.proxy && !this.proxy.problem ? this.proxy : null,
        });
    } catch (err) {
      // An abort between steps is the abort, not a failure of the run.
      if (!(err instanceof RunAborted)) {
        run.error = (err as Error).message;
        failed = true;
      }
    }
    // The final state waits for the restore: a client that sees it may start the next run at once.
    record.restoring();
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
    const healthy = run.postflight?.healthy;
    const state: FinalState =
      failed || healthy === false ? "failed" : record.signal.aborted ? "aborted" : everyCheckHeld(run.checks) && healthy ? "passed" : "failed";
    // The target is free before the final state is seen.
    this.active?.unwatch();
    this.active = null;
    record.finish(state, run.error);
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
