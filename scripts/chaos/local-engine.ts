import "server-only";
/**
 * The chaos runner in this process: a collector of its own watching the sandbox and the same
 * ChaosRunner the console uses, with runs kept in a scratch directory (the reports are the
 * artifact). Needs node's `react-server` condition, as lib/ is written for Next's server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ChaosRunner } from "../../lib/chaos/runner";
import { RunStore } from "../../lib/chaos/run-store";
import { SCENARIOS } from "../../lib/chaos/scenarios";
import type { ChaosRun, ScenarioInfo } from "../../lib/chaos/types";
import { Collector } from "../../lib/collector/collector";
import { TimelineStore } from "../../lib/collector/timeline-store";
import { devstackConfig } from "../../lib/config/load";
import { SCENARIO_IDS } from "../../lib/contract/scenarios";
import { agedScorecard, type AgedScorecardEntry } from "../../lib/verification/claims-standing";
import type { Guardrail } from "../../lib/verification/guardrails";
import { guardRun } from "../../lib/verification/run-guard";
import type { ChaosEngine, StartOutcome } from "./engine";

export class LocalEngine implements ChaosEngine {
  readonly where = "this process (no console on this sandbox: runs are kept in the reports only)";
  private readonly collector: Collector;
  private readonly runner: ChaosRunner;
  private readonly scratch: string;

  constructor(devstackDir: string) {
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), "chaos-cli-"));
    this.collector = new Collector(devstackConfig(devstackDir), new TimelineStore(null));
    this.collector.start();
    this.runner = new ChaosRunner(this.collector, new RunStore(this.scratch));
  }

  async scenarios(): Promise<ScenarioInfo[]> {
    return SCENARIO_IDS.map((id) => SCENARIOS[id].info);
  }

  async start(scenario: string, params: Record<string, unknown>, guardrails: Guardrail[] | null): Promise<StartOutcome> {
    const result = await this.runner.start(scenario, params, "cli");
    if (result.ok) {
      // The same guard the console runs; no console here, so nobody to notify.
      if (guardrails?.length)
        void guardRun({
          runId: result.run.id,
          deployment: "sandbox",
          scenario,
          guardrails,
          target: { run: (id) => this.runner.store.get(id), abort: (id, by) => this.runner.abort(id, by), snapshot: () => this.collector.snapshot() },
          notify: async () => {},
        });
      return { ok: true, id: result.run.id };
    }
    return { ok: false, reason: `${result.error}${result.problems?.length ? `: ${result.problems.join("; ")}` : ""}` };
  }

  async scorecard(): Promise<AgedScorecardEntry[]> {
    return agedScorecard(this.runner.store.list(), this.runner.claims(), new Date(), { expireAfterDays: 7, weights: {} });
  }

  async run(id: string): Promise<ChaosRun> {
    const run = this.runner.store.get(id);
    if (!run) throw new Error(`no run ${id}`);
    // A copy: the runner keeps changing its own object while the run goes on.
    return structuredClone(run);
  }

  async abort(id: string): Promise<void> {
    await this.runner.abort(id);
    await this.runner.settle();
  }

  async close(): Promise<void> {
    await this.runner.settle();
    this.collector.stop();
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}
