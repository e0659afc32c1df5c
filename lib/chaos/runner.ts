import "server-only";
/**
 * Runs chaos scenarios one at a time against the sandbox: pre-flight steady state (the run's
 * first step, so the start answers at once), the scenario's steps, then always a restore
 * (devstack reset) and a post-flight check — also when the run fails or is aborted. A run
 * passes only when every check held. Runs are persisted and go into the timeline.
 */
import crypto from "node:crypto";
import type { Collector } from "../collector/collector";
import { SCENARIO_IDS, type ScenarioId } from "../contract/scenarios";
import { clusterTarget } from "./cluster/cluster-target";
import { RunContext } from "./run-context";
import { askAbortThroughStore, startTakeover, storedRun, takeOverRun, watchRun } from "./run-handover";
import { sharedActiveRun } from "../store/shared-lists";
import { RunAborted, RunRecord } from "./run-record";
import type { RunStore } from "./run-store";
import { isUnavailable, PREFLIGHT_STEP, type AnyScenario, type TargetScenario } from "./scenario";
import { SCENARIOS } from "./scenarios";
import { sentinelTarget, type AnySandboxTarget, type SandboxTarget } from "./target";
import { CLAIMS, type ChaosRun, type ClaimId, type FinalState, type GuardrailAbort, type ScenarioInfo } from "./types";
import { everyCheckHeld, makeCheck } from "./verdict";

export type StartResult = { ok: true; run: ChaosRun } | { ok: false; status: 400 | 403 | 409; error: string; problems?: string[] };

/** The pre-flight found the stack unsteady: nothing was injected, so there is nothing to restore. */
class NotSteady extends Error {
  constructor(readonly problems: string[]) {
    super(`pre-flight: the stack is not in steady state, so a run would prove nothing: ${problems.join("; ")}`);
  }
}

type Prepared =
  { ok: true; info: ScenarioInfo; params: unknown; begin(run: ChaosRun, controller: AbortController): Promise<void> } | { ok: false; error: string };

const PREFLIGHT_WAIT_MS = 15_000;
const POSTFLIGHT_WAIT_MS = 60_000;

export class ChaosRunner {
  private active: { run: ChaosRun; controller: AbortController; done: Promise<void>; unwatch: () => void } | null = null;

  constructor(
    private readonly collector: Collector,
    readonly store: RunStore,
  ) {}

  /** Takes over the sandbox runs of replicas that died (through the store); called once at start. */
  takeOverDeadReplicasRuns(deployment: string): void {
    const target = this.target();
    if (target) startTakeover(deployment, (run) => takeOverRun(run, target, this.store, this.collector.timeline));
  }

  /** A run by id: this replica's, or another's from the store. */
  async find(id: string): Promise<ChaosRun | null> {
    return this.store.get(id) ?? (await storedRun(id));
  }

  /** The sandbox this runner acts on: the Sentinel one, or the cluster one when the config says `devstack.kind: "cluster"`. */
  private target(): AnySandboxTarget | null {
    const { source, devstack } = this.collector.settings;
    if (source !== "devstack" || !devstack?.dir) return null;
    return devstack.kind === "cluster" ? clusterTarget(devstack.dir) : sentinelTarget(devstack.dir);
  }

  /** The scenarios as this sandbox runs them (its parameters), every id of DESIGN.md in order; one it cannot run is described as the Sentinel sandbox runs it. */
  scenarioInfos(): ScenarioInfo[] {
    const target = this.target();
    return SCENARIO_IDS.map((id) => {
      const s = target?.scenarios[id];
      return s && !isUnavailable(s) ? s.info : SCENARIOS[id].info;
    });
  }

  /** Per scenario: can this sandbox run it, and why not. */
  availability(): { scenario: ScenarioId; available: boolean; reason: string | null }[] {
    const target = this.target();
    return SCENARIO_IDS.map((scenario) => {
      const s = target?.scenarios[scenario];
      return { scenario, available: !s || !isUnavailable(s), reason: s && isUnavailable(s) ? s.unavailable : null };
    });
  }

  /** Which sandbox the runner acts on; null when the deployment is not one. */
  sandboxKind(): AnySandboxTarget["kind"] | null {
    return this.target()?.kind ?? null;
  }

  /** The claims this sandbox's scenarios speak of (all of them when no sandbox is configured). */
  claims(): ClaimId[] {
    return this.target()?.claims ?? (Object.keys(CLAIMS) as ClaimId[]);
  }

  /** Why chaos is refused on this deployment now, or null. */
  refusal(): string | null {
    const target = this.target();
    const snapshot = this.collector.snapshot();
    return target ? target.refusal(snapshot) : (snapshot.deployment.chaosRefusal ?? "chaos runs only against the devstack sandbox");
  }

  activeRun(): ChaosRun | null {
    return this.active?.run ?? null;
  }

  /**
   * Validates and checks the target, then starts the run in the background and answers at
   * once; waiting for steady state is the run's first step (it fails the run with the problems).
   */
  async start(scenario: string, rawParams: unknown, origin: ChaosRun["origin"]): Promise<StartResult> {
    if (!(SCENARIO_IDS as readonly string[]).includes(scenario)) {
      return { ok: false, status: 400, error: `unknown scenario "${scenario}": use one of ${SCENARIO_IDS.join(", ")}` };
    }
    const id = scenario as ScenarioId;
    const target = this.target();
    // No target: the parameters are still checked (a 400 before the 403), against the Sentinel sandbox's; nothing runs.
    const prepared = !target
      ? this.prepare(null, id, SCENARIOS[id], rawParams)
      : target.kind === "cluster"
        ? this.prepare(target, id, target.scenarios[id], rawParams)
        : this.prepare(target, id, target.scenarios[id], rawParams);
    if (!prepared.ok) return { ok: false, status: 400, error: prepared.error };
    const refusal = target ? target.refusal(this.collector.snapshot()) : null;
    if (!target || refusal)
      return { ok: false, status: 403, error: refusal ?? this.collector.snapshot().deployment.chaosRefusal ?? "chaos runs only against the devstack sandbox" };
    if (this.active)
      return { ok: false, status: 409, error: `run ${this.active.run.id} (${this.active.run.scenario}) is in progress: wait for it or abort it` };
    // One run at a time on the sandbox, whichever replica runs it.
    const elsewhere = await sharedActiveRun(this.collector.settings.deployment, null);
    if (elsewhere)
      return { ok: false, status: 409, error: `run ${elsewhere.id} (${elsewhere.scenario}) is in progress on another replica: wait for it or abort it` };
    if (this.active) return { ok: false, status: 409, error: "another run started meanwhile: wait for it or abort it" };

    const run: ChaosRun = {
      id: `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}-${scenario}-${crypto.randomBytes(3).toString("hex")}`,
      scenario: scenario as ScenarioId,
      params: prepared.params as Record<string, unknown>,
      state: "running",
      startedAt: new Date().toISOString(),
      endedAt: null,
      origin,
      steps: prepared.info.steps.map((name) => ({ name, state: "pending", startedAt: null, endedAt: null })),
      checks: [],
      metrics: {},
      postflight: null,
    };
    const controller = new AbortController();
    this.store.save(run);
    this.collector.timeline.append({
      kind: "chaos",
      severity: "warn",
      subject: run.id,
      title: `Chaos run ${scenario} started`,
      detail: JSON.stringify(run.params),
    });
    const done = prepared.begin(run, controller);
    // An abort asked on another replica reaches this one through the store.
    const unwatch = watchRun(run.id, () => run.state === "running" && controller.abort());
    this.active = { run, controller, done, unwatch };
    return { ok: true, run };
  }

  /** Aborts the active run if it has this id; the run's own finally restores the stack. */
  /** `by`: the guardrail that stopped it (recorded on the run); none for a person's abort. */
  async abort(id: string, by?: GuardrailAbort): Promise<{ ok: boolean; status: 404 | 409 | 202; error?: string }> {
    if (this.active?.run.id !== id) {
      // Another replica's run: asked through the store, its replica stops it on its next look.
      const remote = this.store.get(id) ? "final" : await askAbortThroughStore(id);
      if (remote === "asked") return { ok: true, status: 202 };
      return remote === "none" ? { ok: false, status: 404, error: `no run "${id}"` } : { ok: false, status: 409, error: `run ${id} is not running` };
    }
    // A run already restoring keeps the outcome it had: the abort has nothing left to stop.
    if (this.active.run.state === "running") {
      if (by) this.active.run.abortedBy = by;
      this.active.controller.abort();
    }
    return { ok: true, status: 202 };
  }

  /** Resolves when the active run (if any) has finished, restore included. */
  async settle(): Promise<void> {
    await this.active?.done;
  }

  /**
   * The target's answer for a scenario, its parameters checked, bound to that target's own
   * control client: the compiler sees that the scenario and the client come from one target.
   */
  private prepare<C>(target: SandboxTarget<C> | null, id: ScenarioId, def: TargetScenario<C>, raw: unknown): Prepared {
    if (isUnavailable(def)) return { ok: false, error: `${id} cannot run on this sandbox: ${def.unavailable}` };
    const parsed = def.params.safeParse(raw ?? {});
    if (!parsed.success)
      return { ok: false, error: `invalid params: ${parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}` };
    return {
      ok: true,
      info: def.info,
      params: parsed.data,
      begin: (run, controller) => {
        if (!target) throw new Error("no sandbox to run on");
        const record = new RunRecord(run, this.store, this.collector.timeline, controller.signal);
        return this.execute(def, new RunContext<unknown, C>(record, parsed.data, target.control, this.collector), record, target);
      },
    };
  }

  private async execute<C>(def: AnyScenario<C>, ctx: RunContext<unknown, C>, record: RunRecord, target: SandboxTarget<C>): Promise<void> {
    const { run } = ctx;
    let injected = true;
    let outcome: FinalState;
    try {
      await ctx.step(
        PREFLIGHT_STEP,
        async () => {
          const problems = await this.waitSteady(target, PREFLIGHT_WAIT_MS, ctx.signal);
          if (problems.length) throw new NotSteady(problems);
        },
        () => target.steadyDescription,
      );
      await def.run(ctx);
      // Not-exercised checks keep a run from passing: it did not show the claim holds.
      outcome = everyCheckHeld(run.checks) ? "passed" : "failed";
    } catch (err) {
      outcome = err instanceof RunAborted ? "aborted" : "failed";
      if (err instanceof NotSteady) injected = false;
      if (!(err instanceof RunAborted)) {
        run.error = (err as Error).message;
        // A claim the run stopped before judging was not exercised, and says why in the scorecard.
        if (injected)
          for (const claim of def.info.claims)
            if (!run.checks.some((c) => c.claim === claim))
              run.checks.push(makeCheck({ claim, expect: CLAIMS[claim], observed: "the run ended before this was judged", notExercised: run.error }));
      }
    }
    if (!injected) {
      this.skipClosingSteps(run, "nothing was injected");
      return this.finish(record, outcome);
    }
    // The final state waits for the restore: a client that sees it may start the next run at once.
    record.restoring();
    const restored = await record.closingStep("restore the stack", () => target.restore());
    const steady = await record.closingStep("post-flight check", async () => {
      const problems = await this.waitSteady(target, POSTFLIGHT_WAIT_MS, undefined, true);
      run.postflight = { healthy: problems.length === 0, problems };
      if (problems.length) throw new Error(`the stack is NOT healthy after the run: ${problems.join("; ")}`);
      return "steady state again";
    });
    this.finish(record, outcome === "passed" && !(restored && steady) ? "failed" : outcome);
  }

  private skipClosingSteps(run: ChaosRun, why: string): void {
    for (const s of run.steps) if (s.state === "pending") Object.assign(s, { state: "skipped", detail: why });
  }

  /** The target is free before the final state is seen: a client that reads it gets 202 on its next start. */
  private finish(record: RunRecord, state: FinalState): void {
    this.active?.unwatch();
    this.active = null;
    const { run } = record;
    record.finish(state, run.error ?? (run.postflight?.healthy === false ? "stack unhealthy after the run — reset it" : undefined));
  }

  /** Polls until steady or the deadline; the post-flight adds what only the sandbox can tell (roles, leftover keys). */
  private async waitSteady<C>(target: SandboxTarget<C>, timeoutMs: number, signal?: AbortSignal, postflight = false): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    const look = async () => {
      const problems = target.steadyProblems(this.collector.snapshot());
      return problems.length || !postflight ? problems : target.postflightProblems();
    };
    let problems = await look();
    while (problems.length && Date.now() < deadline) {
      if (signal?.aborted) throw new RunAborted();
      await new Promise((r) => setTimeout(r, 250));
      problems = await look();
    }
    return problems;
  }
}
