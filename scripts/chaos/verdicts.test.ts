import { describe, expect, it } from "vitest";
import type { ChaosRun, RunCheck, RunStep } from "../../lib/chaos/types";
import { exitCode, formatTable, preflightRefusal, stepLines, verdictRows, type ScenarioOutcome } from "./verdicts";

function run(state: ChaosRun["state"], checks: RunCheck[], error?: string): ChaosRun {
  return {
    id: "r",
    scenario: "outage",
    params: {},
    state,
    startedAt: "",
    endedAt: "",
    origin: "cli",
    steps: [],
    checks,
    metrics: {},
    postflight: { healthy: true, problems: [] },
    error,
  };
}
const held: RunCheck = { claim: "recovery-2-3s", expect: "ok within 3 s", observed: "ok after 0.4 s", verdict: "held", ok: true };
const refuted: RunCheck = { claim: "sessions-preserved", expect: "sessions kept", observed: "138 of 200 lost", verdict: "refuted", ok: false };
const notExercised: RunCheck = {
  claim: "lru-oldest-first",
  expect: "older evicted first",
  observed: "no eviction",
  verdict: "not-exercised",
  reason: "Redis evicted nothing",
  ok: false,
};

describe("exitCode", () => {
  it("is 0 when every run passed", () => {
    expect(exitCode([{ scenario: "outage", run: run("passed", [held]) }])).toBe(0);
  });
  it("is 1 when a run failed, even if a later scenario could not run", () => {
    const outcomes: ScenarioOutcome[] = [
      { scenario: "memory-pressure", run: run("failed", [held, refuted]) },
      { scenario: "data-integrity", couldNotRun: "pre-flight" },
    ];
    expect(exitCode(outcomes)).toBe(1);
  });
  it("is 1 when a check was not exercised, even though nothing was refuted", () => {
    expect(exitCode([{ scenario: "memory-pressure", run: run("failed", [held, notExercised]) }])).toBe(1);
  });
  it("is 1 for a run stored as passed that has a check not exercised (runs from before three states)", () => {
    expect(
      exitCode([
        {
          scenario: "memory-pressure",
          run: run("passed", [held, { ...notExercised, verdict: undefined as never, ok: true, observed: "not exercised: Redis evicted nothing" }]),
        },
      ]),
    ).toBe(1);
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
    expect(rows.map((r) => [r.scenario, r.claim, r.verdict])).toEqual([
      ["outage", "recovery-2-3s", "held"],
      ["latency", "recovery-2-3s", "held"],
      ["latency", "—", "FAILED"],
      ["failover", "—", "—"],
    ]);
    expect(rows[2].observed).toBe("control API unreachable");
  });
  it("shows a not-exercised check as such, with its reason", () => {
    const rows = verdictRows([{ scenario: "memory-pressure", run: run("failed", [refuted, notExercised]) }]);
    expect(rows.map((r) => r.verdict)).toEqual(["REFUTED", "not exercised"]);
    expect(rows[1].observed).toBe("Redis evicted nothing (saw: no eviction)");
    expect(formatTable(rows, 160).split("\n")[3].endsWith("not exercised")).toBe(true);
  });
  it("clips long text to the width and keeps one line per row", () => {
    const rows = verdictRows([{ scenario: "memory-pressure", run: run("failed", [{ ...refuted, observed: "x".repeat(500) }]) }]);
    const table = formatTable(rows, 120).split("\n");
    expect(table).toHaveLength(3);
    expect(table[0]).toMatch(/^scenario +\| claim +\| expected +\| observed +\| verdict$/);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(table[2]).toContain("…");
    expect(table[2].endsWith("REFUTED")).toBe(true);
  });
});

describe("stepLines", () => {
  const step = (name: string, state: RunStep["state"], detail?: string): RunStep => ({
    name,
    state,
    startedAt: "2026-11-26T10:00:00.000Z",
    endedAt: state === "running" ? null : "2026-11-26T10:00:01.500Z",
    detail,
  });
  it("prints a step when it starts and when it ends, once", () => {
    const a = [step("inject", "running"), step("hold", "pending")];
    const b = [step("inject", "done", "proxy cut"), step("hold", "running")];
    expect(stepLines(null, a)).toEqual(["  ▸ inject…"]);
    expect(stepLines(a, b)).toEqual(["  ✓ inject (1.5 s): proxy cut", "  ▸ hold…"]);
    expect(stepLines(b, b)).toEqual([]);
    expect(stepLines(b, [step("inject", "done"), step("hold", "failed", "timeout")])).toEqual(["  ✗ hold (1.5 s): timeout"]);
  });
});

describe("preflightRefusal", () => {
  it("names a run that never left its pre-flight, so the suite counts it as could-not-run", () => {
    const r = run("failed", [], "pre-flight: the stack is not in steady state");
    r.steps = [{ name: "wait for steady state", state: "failed", startedAt: "", endedAt: "", detail: "pre-flight: sentinel-2 not answering" }];
    expect(preflightRefusal(r)).toBe("pre-flight: sentinel-2 not answering");
    r.steps[0].state = "done";
    expect(preflightRefusal(r)).toBeNull();
  });
});
