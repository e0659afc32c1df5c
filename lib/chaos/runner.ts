import "server-only";
/**
 * Runs chaos scenarios one at a time against the sandbox: pre-flight steady state, the
 * scenario's steps, then always a restore (devstack reset) and a post-flight check — also
 * when the run fails or is aborted. Runs are persisted and go into the timeline.
 */
import crypto from "node:crypto";
import type { Collector } from "../collector/collector";
import { SCENARIO_IDS, type ScenarioId } from "../contract/scenarios";
import { DevstackControl } from "./devstack-control";
import { RunAborted, RunContext } from "./run-context";
import type { RunStore } from "./run-store";
import { SCENARIOS } from "./scenarios";
import { steadyStateProblems } from "./steady-state";
import type { ChaosRun } from "./types";

export type StartResult = { ok: true; run: ChaosRun } | { ok: false; status: 400 | 403 | 404 | 409; error: string; problems?: string[] };

const PREFLIGHT_WAIT_MS = 15_000;
const POSTFLIGHT_WAIT_MS = 60_000;

export class ChaosRunner {
  private active: { run: ChaosRun; controller: AbortController; done: Promise<void> } | null = null;

  constructor(
    private readonly collector: Collector,
    readonly store: RunStore,
  ) {}

  private control(): DevstackControl | null {
    const dir = this.collector.settings.devstack?.dir;
    return this.collector.settings.source === "devstack" && dir ? new DevstackControl(dir) : null;
  }

  activeRun(): ChaosRun | null {
    return this.active?.run ?? null;
  }

  /** Validates, checks the target and the steady state, then starts the run in the background. */
  async start(scenario: string, rawParams: unknown, origin: ChaosRun["origin"]): Promise<StartResult> {
    if (!(SCENARIO_IDS as readonly string[]).includes(scenario)) {
      return { ok: false, status: 400, error: `unknown scenario "${scenario}": use one of ${SCENARIO_IDS.join(", ")}` };
    }
    const def = SCENARIOS[scenario as ScenarioId];
    if (!def) return { ok: false, status: 404, error: `scenario "${scenario}" is not available in this build yet` };
    const parsed = def.params.safeParse(rawParams ?? {});
    if (!parsed.success) return { ok: false, status: 400, error: `invalid params: ${parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}` };
    const refusal = this.collector.snapshot().deployment.chaosRefusal;
    const control = this.control();
    if (!control || refusal) return { ok: false, status: 403, error: refusal ?? "chaos runs only against the devstack sandbox" };
    if (this.active) return { ok: false, status: 409, error: `run ${this.active.run.id} (${this.active.run.scenario}) is in progress: wait for it or abort it` };

    const steady = await this.waitSteady(PREFLIGHT_WAIT_MS);
    if (steady.length) return { ok: false, status: 409, error: "pre-flight: the stack is not in steady state, so a run would prove nothing", problems: steady };
    if (this.active) return { ok: false, status: 409, error: "another run started meanwhile" };

    const run: ChaosRun = {
      id: `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}-${scenario}-${crypto.randomBytes(3).toString("hex")}`,
      scenario: scenario as ScenarioId,
      params: parsed.data as Record<string, unknown>,
      state: "running",
      startedAt: new Date().toISOString(),
      endedAt: null,
      origin,
      steps: def.info.steps.map((name) => ({ name, state: "pending", startedAt: null, endedAt: null })),
      checks: [],
      metrics: {},
      postflight: null,
    };
    const controller = new AbortController();
    this.store.save(run);
    this.collector.timeline.append({ kind: "chaos", severity: "warn", subject: run.id, title: `Chaos run ${scenario} started`, detail: JSON.stringify(run.params) });
    const ctx = new RunContext(run, parsed.data, control, this.collector, controller.signal, () => this.store.save(run));
    const done = this.execute(def.run.bind(def), ctx, control);
    this.active = { run, controller, done };
    return { ok: true, run };
  }

  /** Aborts the active run if it has this id; the run's own finally restores the stack. */
  abort(id: string): { ok: boolean; status: 404 | 409 | 202; error?: string } {
    if (!this.store.get(id)) return { ok: false, status: 404, error: `no run "${id}"` };
    if (this.active?.run.id !== id) return { ok: false, status: 409, error: `run ${id} is not running` };
    this.active.controller.abort();
    return { ok: true, status: 202 };
  }

  /** Resolves when the active run (if any) has finished, restore included. */
  async settle(): Promise<void> {
    await this.active?.done;
  }

  private async execute(body: (ctx: RunContext<unknown>) => Promise<void>, ctx: RunContext<unknown>, control: DevstackControl): Promise<void> {
    const { run } = ctx;
    try {
      await body(ctx);
      run.state = run.checks.length && run.checks.every((c) => c.ok) ? "passed" : "failed";
    } catch (err) {
      run.state = err instanceof RunAborted ? "aborted" : "failed";
      if (!(err instanceof RunAborted)) run.error = (err as Error).message;
    }
    await this.closingStep(run, "restore the stack", async () => {
      await control.reset();
      return "every fault undone; topology healthy";
    });
    await this.closingStep(run, "post-flight check", async () => {
      const problems = await this.waitSteady(POSTFLIGHT_WAIT_MS);
      run.postflight = { healthy: problems.length === 0, problems };
      if (problems.length) throw new Error(`the stack is NOT healthy after the run: ${problems.join("; ")}`);
      return "steady state again";
    });
    for (const s of run.steps) if (s.state === "pending") s.state = "skipped";
    run.endedAt = new Date().toISOString();
    this.store.save(run);
    const held = run.checks.filter((c) => c.ok).length;
    this.collector.timeline.append({
      kind: "chaos",
      severity: run.state === "passed" ? "info" : "warn",
      subject: run.id,
      title: `Chaos run ${run.scenario} ${run.state}: ${held}/${run.checks.length} checks held`,
      detail: run.error ?? (run.postflight?.healthy === false ? "stack unhealthy after the run — reset it" : undefined),
    });
    this.active = null;
  }

  /** A closing step runs even after an abort; its failure is recorded, never thrown. */
  private async closingStep(run: ChaosRun, name: string, fn: () => Promise<string>): Promise<void> {
    const step = run.steps.find((s) => s.name === name) ?? run.steps[run.steps.push({ name, state: "pending", startedAt: null, endedAt: null }) - 1];
    step.state = "running";
    step.startedAt = new Date().toISOString();
    this.store.save(run);
    try {
      step.detail = await fn();
      step.state = "done";
    } catch (err) {
      step.state = "failed";
      step.detail = (err as Error).message;
      if (run.state === "passed") run.state = "failed";
      run.error ??= (err as Error).message;
    }
    step.endedAt = new Date().toISOString();
    this.store.save(run);
  }

  private async waitSteady(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let problems = steadyStateProblems(this.collector.snapshot());
    while (problems.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      problems = steadyStateProblems(this.collector.snapshot());
    }
    return problems;
  }
}
