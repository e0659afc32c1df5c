import "server-only";
/**
 * Chaos runs on the sandboxes (the Sentinel one, or the Cluster one): the target's scenarios,
 * parameters, availability and refusal. The run itself — pre-flight steady state as its first
 * step (so the start answers at once), the scenario's steps, then always a restore (devstack
 * reset) and a post-flight check, the states and the takeover — is the one engine's
 * (run-engine.ts), which the dev stacks' runs go through too.
 */
import type { Collector } from "../collector/collector";
import { SCENARIO_IDS, type ScenarioId } from "../contract/scenarios";
import { clusterTarget } from "./cluster/cluster-target";
import { RunContext } from "./run-context";
import { RunEngine, waitSteady, type AbortAnswer, type RunDriver, type StartResult } from "./run-engine";
import type { RunRecord } from "./run-record";
import type { RunStore } from "./run-store";
import { isUnavailable, type AnyScenario, type TargetScenario } from "./scenario";
import { SCENARIOS } from "./scenarios";
import { sentinelTarget, type AnySandboxTarget, type SandboxTarget } from "./target";
import { CLAIMS, type ChaosRun, type ClaimId, type GuardrailAbort, type ScenarioInfo } from "./types";

export type { StartResult };

type Prepared = { ok: true; info: ScenarioInfo; params: unknown; driver: RunDriver } | { ok: false; error: string };

const PREFLIGHT_WAIT_MS = 15_000;
const POSTFLIGHT_WAIT_MS = 60_000;

export class ChaosRunner {
  private readonly engine: RunEngine;

  constructor(
    private readonly collector: Collector,
    readonly store: RunStore,
  ) {
    this.engine = new RunEngine(collector.settings.deployment, store, collector.timeline);
  }

  /** Takes over the sandbox runs of replicas that died (through the store); called once at start. */
  takeOverDeadReplicasRuns(): void {
    const target = this.target();
    if (target) this.engine.takeOverDeadReplicasRuns(() => target.restore());
  }

  /** A run by id: this replica's, or another's from the store. */
  find(id: string): Promise<ChaosRun | null> {
    return this.engine.find(id);
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
    return this.engine.activeRun();
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
    // One run at a time on the sandbox, whichever replica runs it.
    const busy = await this.engine.busy();
    if (busy) return { ok: false, status: 409, error: busy };
    return this.engine.start({ scenario: id, params: prepared.params as Record<string, unknown>, origin, steps: prepared.info.steps }, prepared.driver);
  }

  /** Aborts the active run if it has this id; the engine restores the stack. */
  /** `by`: the guardrail that stopped it (recorded on the run); none for a person's abort. */
  abort(id: string, by?: GuardrailAbort): Promise<AbortAnswer> {
    return this.engine.abort(id, by);
  }

  /** Resolves when the active run (if any) has finished, restore included. */
  settle(): Promise<void> {
    return this.engine.settle();
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
    return { ok: true, info: def.info, params: parsed.data, driver: this.driver(target, def, parsed.data) };
  }

  /** A sandbox's part of a run: its steady state, the scenario with its control client, its reset and post-flight. */
  private driver<C>(target: SandboxTarget<C> | null, def: AnyScenario<C>, params: unknown): RunDriver {
    const need = () => {
      if (!target) throw new Error("no sandbox to run on");
      return target;
    };
    return {
      claims: def.info.claims,
      preflight: {
        wait: (signal) => waitSteady(() => need().steadyProblems(this.collector.snapshot()), PREFLIGHT_WAIT_MS, signal),
        describe: target?.steadyDescription ?? "",
      },
      run: (record) => def.run(new RunContext<unknown, C>(record, params, need().control, this.collector)),
      close: async (record: RunRecord) => {
        const t = need();
        const restored = await record.closingStep("restore the stack", () => t.restore());
        // The post-flight adds what only the sandbox can tell (roles, leftover keys) once the snapshot is steady.
        const look = async () => {
          const problems = t.steadyProblems(this.collector.snapshot());
          return problems.length ? problems : t.postflightProblems();
        };
        const steady = await record.closingStep("post-flight check", async () => {
          const problems = await waitSteady(look, POSTFLIGHT_WAIT_MS);
          record.run.postflight = { healthy: problems.length === 0, problems };
          if (problems.length) throw new Error(`the stack is NOT healthy after the run: ${problems.join("; ")}`);
          return "steady state again";
        });
        return restored && steady;
      },
    };
  }
}
