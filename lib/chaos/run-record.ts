import "server-only";
/**
 * The record of a run, kept by the one engine (run-engine.ts) for every target: a step's state
 * and timing with its timeline entry, the `restoring` state while the faults are undone, and the
 * final state with its timeline entry.
 * The caller frees the target before finish() makes the final state visible.
 */
import type { TimelineStore } from "../collector/timeline-store";
import type { RunStore } from "./run-store";
import type { ChaosRun, FinalState, RunStep } from "./types";
import { tally, tallyLine } from "./verdict";

export class RunAborted extends Error {
  constructor() {
    super("the run was aborted");
  }
}

export class RunRecord {
  constructor(
    readonly run: ChaosRun,
    private readonly store: RunStore,
    private readonly timeline: TimelineStore,
    /** Ends the steps at once (between steps, and in the waits that listen to it). */
    readonly signal: AbortSignal,
  ) {}

  save(): void {
    this.store.save(this.run);
  }

  throwIfAborted(): void {
    if (this.signal.aborted) throw new RunAborted();
  }

  /** The planned step of that name, or a new one at the end. */
  private stepNamed(name: string): RunStep {
    const planned = this.run.steps.find((s) => s.name === name && s.state === "pending");
    if (planned) return planned;
    const step: RunStep = { name, state: "pending", startedAt: null, endedAt: null };
    this.run.steps.push(step);
    return step;
  }

  /** Runs one named step, recording its state, timing and a timeline entry; a failing step fails the run. */
  async step<T>(name: string, fn: () => Promise<T>, detail?: (result: T) => string | undefined): Promise<T> {
    this.throwIfAborted();
    const step = this.stepNamed(name);
    step.state = "running";
    step.startedAt = new Date().toISOString();
    this.save();
    this.timeline.append({ kind: "chaos", severity: "info", subject: this.run.id, title: `Chaos ${this.run.scenario}: ${name}` });
    try {
      const result = await fn();
      step.state = "done";
      step.detail = detail?.(result);
      return result;
    } catch (err) {
      step.state = "failed";
      step.detail = (err as Error).message;
      throw err;
    } finally {
      step.endedAt = new Date().toISOString();
      this.save();
    }
  }

  /** A closing step runs even after an abort; its failure is recorded (and is the run's error if it has none), never thrown. */
  async closingStep(name: string, fn: () => Promise<string>): Promise<boolean> {
    const step = this.stepNamed(name);
    step.state = "running";
    step.startedAt = new Date().toISOString();
    this.save();
    try {
      step.detail = await fn();
      step.state = "done";
    } catch (err) {
      step.state = "failed";
      step.detail = (err as Error).message;
      this.run.error ??= (err as Error).message;
    }
    step.endedAt = new Date().toISOString();
    this.save();
    return step.state === "done";
  }

  /** The faults are being undone: not final yet, so a client waiting for the target keeps waiting. */
  restoring(): void {
    this.run.state = "restoring";
    this.run.restoringAt = new Date().toISOString();
    this.save();
  }

  /** The final state, once the target is free; `detail` goes in the timeline entry. */
  finish(state: FinalState, detail?: string): void {
    for (const s of this.run.steps) if (s.state === "pending") s.state = "skipped";
    this.run.state = state;
    this.run.endedAt = new Date().toISOString();
    this.save();
    this.timeline.append({
      kind: "chaos",
      severity: state === "passed" ? "info" : "warn",
      subject: this.run.id,
      title: `Chaos run ${this.run.scenario} ${state}: ${tallyLine(tally(this.run.checks))}`,
      detail,
    });
  }
}
