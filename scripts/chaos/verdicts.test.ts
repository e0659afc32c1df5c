import { describe, expect, it } from "vitest";
import type { ChaosRun, RunCheck, RunStep } from "../../lib/chaos/types";
import { exitCode, formatTable, stepLines, verdictRows, type ScenarioOutcome } from "./verdicts";

function run(state: ChaosRun["state"], checks: RunCheck[], error?: string): ChaosRun {
  return { id: "r", scenario: "outage", params: {}, state, startedAt: "", endedAt: "", origin: "cli", steps: [], checks, metrics: {}, postflight: { healthy: true, problems: [] }, error };
}
const held: RunCheck = { claim: "recovery-2-3s", expect: "ok within 3 s", observed: "ok after 0.4 s", ok: true };
const refuted: RunCheck = { claim: "sessions-preserved", expect: "sessions kept", observed: "138 of 200 lost", ok: false };

describe("exitCode", () => {
  it("is 0 when every run passed", () => {
    expect(exitCode([{ scenario: "outage", run: run("passed", [held]) }])).toBe(0);
  });
  it("is 1 when a run failed, even if a later scenario could not run", () => {
    const outcomes: ScenarioOutcome[] = [{ scenario: "memory-pressure", run: run("failed", [held, refuted]) }, { scenario: "data-integrity", couldNotRun: "pre-flight" }];
    expect(exitCode(outcomes)).toBe(1);
  });
  it("is 2 when a scenario could not run or was aborted, or nothing ran", () => {
    expect(exitCode([{ scenario: "outage", couldNotRun: "sentinel-2 not answering" }])).toBe(2);
    expect(exitCode([{ scenario: "outage", run: run("aborted", [held]) }])).toBe(2);
    expect(exitCode([])).toBe(2);
  });
});

describe("verdictRows and formatTable", () => {
  it("has a row per check, and rows for runs that failed without a failing check or did not run", () => {
    const rows = verdictRows([
      { scenario: "outage", run: run("passed", [held]) },
      { scenario: "latency", run: run("failed", [held], "control API unreachable") },
      { scenario: "failover", couldNotRun: "pre-flight: sentinel-2 not answering" },
    ]);
    expect(rows.map((r) => [r.scenario, r.claim, r.ok])).toEqual([
      ["outage", "recovery-2-3s", "yes"],
      ["latency", "recovery-2-3s", "yes"],
      ["latency", "—", "NO"],
      ["failover", "—", "—"],
    ]);
    expect(rows[2].observed).toBe("control API unreachable");
  });
  it("clips long text to the width and keeps one line per row", () => {
    const rows = verdictRows([{ scenario: "memory-pressure", run: run("failed", [{ ...refuted, observed: "x".repeat(500) }]) }]);
    const table = formatTable(rows, 120).split("\n");
    expect(table).toHaveLength(3);
    expect(table[0]).toMatch(/^scenario +\| claim +\| expected +\| observed +\| ok$/);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(table[2]).toContain("…");
    expect(table[2].endsWith("NO")).toBe(true);
  });
});

describe("stepLines", () => {
  const step = (name: string, state: RunStep["state"], detail?: string): RunStep => ({ name, state, startedAt: "2026-11-26T10:00:00.000Z", endedAt: state === "running" ? null : "2026-11-26T10:00:01.500Z", detail });
  it("prints a step when it starts and when it ends, once", () => {
    const a = [step("inject", "running"), step("hold", "pending")];
    const b = [step("inject", "done", "proxy cut"), step("hold", "running")];
    expect(stepLines(null, a)).toEqual(["  ▸ inject…"]);
    expect(stepLines(a, b)).toEqual(["  ✓ inject (1.5 s): proxy cut", "  ▸ hold…"]);
    expect(stepLines(b, b)).toEqual([]);
    expect(stepLines(b, [step("inject", "done"), step("hold", "failed", "timeout")])).toEqual(["  ✗ hold (1.5 s): timeout"]);
  });
});
