import "server-only";
/**
 * The one run lifecycle every chaos target goes through (the two sandboxes and the opted-in dev
 * stacks): the run id and its record, one run at a time per deployment (whichever replica holds
 * it), the abort that interrupts the running step, steady state before injecting, the restore and
 * post-flight that always run (also after an abort or a failure), the states
 * `running → restoring → passed | failed | aborted` with their timeline entries, and the takeover
 * of a dead replica's run. What differs per target is a `RunDriver`: how it waits for steady
 * state, runs the scenario, and restores.
 */
import crypto from "node:crypto";
import type { TimelineStore } from "../collector/timeline-store";
import { sharedActiveRun } from "../store/shared-lists";
import { askAbortThroughStore, startTakeover, storedRun, takeOverRun, watchRun } from "./run-handover";
import { RunAborted, RunRecord } from "./run-record";
import type { RunStore } from "./run-store";
import { CLAIMS, PREFLIGHT_STEP, type ChaosRun, type ClaimId, type FinalState, type GuardrailAbort } from "./types";
import { finalStateOf, makeCheck } from "./verdict";

/** What one target does in a run; the engine does the rest. */
export interface RunDriver {
  /**
   * Steady state before anything is injected, as the run's first step (`PREFLIGHT_STEP`): the
   * problems left once it gave up. Omitted when the target checked it before the start answered
   * (a dev stack answers 409 with the problems).
   */
  preflight?: { wait(signal: AbortSignal): Promise<string[]>; describe: string };
  /** The scenario's steps and checks, through the record. */
  run(record: RunRecord): Promise<void>;
  /** The claims the scenario speaks of: those it stopped before judging are not exercised, with the run's error as the reason. */
  claims: readonly ClaimId[];
  /** Undoes every fault and checks the target is as before, as closing steps; true when it is. */
  close(record: RunRecord): Promise<boolean>;
}

/** What the engine needs to know of a run before it starts. */
export interface RunPlan {
  /** Chosen by the caller when the target needed it before the run (a dev stack's journal and lock); else made here. */
  id?: string;
  scenario: ChaosRun["scenario"];
  params: Record<string, unknown>;
  origin: ChaosRun["origin"];
  /** Steps known before the run starts (shown pending); the others are added as they run. */
  steps: readonly string[];
  /** After "Chaos run <scenario> started" in the timeline, e.g. " on external target staging". */
  where?: string;
}

export type AbortAnswer = { ok: boolean; status: 404 | 409 | 202; error?: string };
export type StartResult = { ok: true; run: ChaosRun } | { ok: false; status: 400 | 403 | 409; error: string; problems?: string[] };

/** The pre-flight found the target unsteady: nothing was injected, so there is nothing to restore. */
class NotSteady extends Error {
  constructor(readonly problems: string[]) {
    super(`pre-flight: the stack is not in steady state, so a run would prove nothing: ${problems.join("; ")}`);
  }
}

/** A run id: when, what, and six random hex digits. */
export function newRunId(scenario: string): string {
  return `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}-${scenario}-${crypto.randomBytes(3).toString("hex")}`;
}

/** Looks until there are no problems or `timeoutMs` passed; the problems left. An abort ends the wait (RunAborted). */
export async function waitSteady(look: () => string[] | Promise<string[]>, timeoutMs: number, signal?: AbortSignal): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let problems = await look();
  while (problems.length && Date.now() < deadline) {
    if (signal?.aborted) throw new RunAborted();
    await new Promise((r) => setTimeout(r, 250));
    problems = await look();
  }
  return problems;
}

/** One deployment's runs: at most one at a time, on this replica or another sharing the store. */
export class RunEngine {
  private active: { record: RunRecord; controller: AbortController; done: Promise<void>; unwatch: () => void } | null = null;

  constructor(
    private readonly deployment: string,
    readonly store: RunStore,
    private readonly timeline: TimelineStore,
  ) {}

  /** A run by id: this replica's, or another's from the store. */
  async find(id: string): Promise<ChaosRun | null> {
    return this.store.get(id) ?? (await storedRun(id));
  }

  activeRun(): ChaosRun | null {
    return this.active?.record.run ?? null;
  }

  /** Why a run cannot start now (another is in progress, here or on another replica), or null. */
  async busy(): Promise<string | null> {
    const local = this.activeRun();
    if (local) return `run ${local.id} (${local.scenario}) is in progress: wait for it or abort it`;
    const elsewhere = await sharedActiveRun(this.deployment, null);
    if (elsewhere) return `run ${elsewhere.id} (${elsewhere.scenario}) is in progress on another replica: wait for it or abort it`;
    return null;
  }

  /** Records the run, tells the timeline, and runs it in the background; the answer is the run as it starts. */
  start(plan: RunPlan, driver: RunDriver): StartResult {
    // The caller awaited (busy(), a dev stack's lock): a start on this replica may have begun meanwhile.
    if (this.active) return { ok: false, status: 409, error: "another run started meanwhile: wait for it or abort it" };
    const run: ChaosRun = {
      id: plan.id ?? newRunId(plan.scenario),
      scenario: plan.scenario,
      params: plan.params,
      state: "running",
      startedAt: new Date().toISOString(),
      endedAt: null,
      origin: plan.origin,
      steps: plan.steps.map((name) => ({ name, state: "pending", startedAt: null, endedAt: null })),
      checks: [],
      metrics: {},
      postflight: null,
    };
    const controller = new AbortController();
    const record = new RunRecord(run, this.store, this.timeline, controller.signal);
    this.store.save(run);
    this.timeline.append({
      kind: "chaos",
      severity: "warn",
      subject: run.id,
      title: `Chaos run ${run.scenario} started${plan.where ?? ""}`,
      detail: JSON.stringify(run.params),
    });
    // Alive for the other replicas (a silent one's run is taken over), and an abort asked on any of them reaches this one.
    const unwatch = watchRun(run.id, () => run.state === "running" && controller.abort());
    const active = { record, controller, unwatch, done: Promise.resolve() };
    this.active = active;
    active.done = this.execute(record, driver);
    return { ok: true, run };
  }

  /** `by`: the guardrail that stopped it (recorded on the run); none for a person's abort. */
  async abort(id: string, by?: GuardrailAbort): Promise<AbortAnswer> {
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

  /** Aborts the active run if it is `id`, with `reason` as its error (a dev stack's revoked marker or lost lock). */
  abortWith(id: string, reason: string): void {
    if (this.active?.record.run.id !== id || this.active.record.run.state !== "running") return;
    this.active.record.run.error ??= reason;
    this.active.controller.abort();
  }

  /** Resolves when the active run (if any) has finished, restore included. */
  async settle(): Promise<void> {
    await this.active?.done;
  }

  /** Every 2 s: takes over the deployment's runs whose replica died, `restore` undoing their faults. */
  takeOverDeadReplicasRuns(restore: () => Promise<string>): void {
    startTakeover(this.deployment, (run) => takeOverRun(run, { restore }, this.store, this.timeline));
  }

  private async execute(record: RunRecord, driver: RunDriver): Promise<void> {
    const { run } = record;
    let injected = true;
    let failed = false;
    try {
      if (driver.preflight) {
        const { wait, describe } = driver.preflight;
        await record.step(
          PREFLIGHT_STEP,
          async () => {
            const problems = await wait(record.signal);
            if (problems.length) throw new NotSteady(problems);
          },
          () => describe,
        );
      }
      await driver.run(record);
    } catch (err) {
      if (err instanceof NotSteady) injected = false;
      // An abort between steps is the abort, not a failure of the run.
      if (!(err instanceof RunAborted)) {
        failed = true;
        run.error = (err as Error).message;
        // A claim the run stopped before judging was not exercised, and says why in the scorecard.
        if (injected)
          for (const claim of driver.claims)
            if (!run.checks.some((c) => c.claim === claim))
              run.checks.push(makeCheck({ claim, expect: CLAIMS[claim], observed: "the run ended before this was judged", notExercised: run.error }));
      }
    }
    if (!injected) {
      for (const s of run.steps) if (s.state === "pending") Object.assign(s, { state: "skipped", detail: "nothing was injected" });
      return this.finish(record, "failed");
    }
    // The final state waits for the restore: a client that sees it may start the next run at once.
    record.restoring();
    const restored = await driver.close(record).catch((err: Error) => ((run.error ??= err.message), false));
    // A target not as before is what the run must say first, even after an abort.
    this.finish(record, finalStateOf({ threw: failed, restored, aborted: record.signal.aborted, checks: run.checks }));
  }

  /** The target is free before the final state is seen: a client that reads it gets 202 on its next start. */
  private finish(record: RunRecord, state: FinalState): void {
    if (this.active?.record === record) {
      this.active.unwatch();
      this.active = null;
    }
    record.finish(state, record.run.error);
  }
}
