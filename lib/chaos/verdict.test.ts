import { describe, expect, it } from "vitest";
import { formatMetric, formatSeconds } from "./format";
import { runToMarkdown } from "./report";
import { scorecard } from "./scorecard";
import type { ChaosRun, RunCheck } from "./types";
import { claimVerdict, everyCheckHeld, finalStateOf, makeCheck, normalizeCheck, tally, tallyLine } from "./verdict";

const held = makeCheck({ claim: "sessions-preserved", expect: "sessions kept", observed: "all 200 readable", ok: true });
const refuted = makeCheck({ claim: "sessions-preserved", expect: "sessions kept", observed: "138 of 200 lost", ok: false });
const notExercised = makeCheck({
  claim: "lru-oldest-first",
  expect: "older evicted first",
  observed: "no seeded entry evicted",
  notExercised: "Redis evicted nothing",
});

function run(id: string, state: ChaosRun["state"], checks: RunCheck[], endedAt = "2026-12-01T10:00:00.000Z"): ChaosRun {
  return {
    id,
    scenario: "memory-pressure",
    params: {},
    state,
    startedAt: endedAt,
    endedAt,
    origin: "api",
    steps: [],
    checks,
    metrics: {},
    postflight: { healthy: true, problems: [] },
  };
}

describe("makeCheck", () => {
  it("keeps DESIGN's ok as verdict === held, and a not-exercised check is never ok", () => {
    expect(held).toMatchObject({ verdict: "held", ok: true });
    expect(refuted).toMatchObject({ verdict: "refuted", ok: false });
    expect(notExercised).toMatchObject({ verdict: "not-exercised", ok: false, reason: "Redis evicted nothing" });
  });
});

describe("normalizeCheck", () => {
  it("reads a run stored before three states: 'not exercised: …' stored as ok becomes not-exercised", () => {
    const old = { expect: "x", observed: "not exercised: Redis evicted nothing", ok: true } as RunCheck;
    expect(normalizeCheck(old)).toMatchObject({ verdict: "not-exercised", ok: false, reason: "Redis evicted nothing" });
    expect(normalizeCheck({ expect: "x", observed: "fine", ok: true } as RunCheck)).toMatchObject({ verdict: "held", ok: true });
  });
});

describe("tally and a run's pass", () => {
  it("counts the three states apart and passes only when every check held", () => {
    expect(tally([held, refuted, notExercised])).toEqual({ held: 1, refuted: 1, notExercised: 1, total: 3 });
    expect(tallyLine(tally([held, notExercised]))).toBe("1/2 held, 1 not exercised");
    expect(everyCheckHeld([held])).toBe(true);
    expect(everyCheckHeld([held, notExercised])).toBe(false);
    expect(everyCheckHeld([])).toBe(false);
  });
  it("judges a claim: a refutation wins, then not exercised", () => {
    expect(claimVerdict([held, refuted, notExercised])).toBe("refuted");
    expect(claimVerdict([held, notExercised])).toBe("not-exercised");
    expect(claimVerdict([held, held])).toBe("held");
  });
});

describe("scorecard", () => {
  it("shows not-exercised (with the reason) for a claim whose latest run did not exercise it, and untested for one never run", () => {
    const older = run(
      "r1",
      "passed",
      [makeCheck({ claim: "lru-oldest-first", expect: "e", observed: "older lost 70/100", ok: true })],
      "2026-12-01T09:00:00.000Z",
    );
    const newer = run("r2", "failed", [held, notExercised]);
    const card = scorecard([newer, older]);
    expect(card.find((e) => e.claim === "lru-oldest-first")).toMatchObject({ verdict: "not-exercised", runId: "r2", reason: "Redis evicted nothing" });
    expect(card.find((e) => e.claim === "sessions-preserved")).toMatchObject({ verdict: "held", runId: "r2", reason: null });
    expect(card.find((e) => e.claim === "rpo-1s")).toMatchObject({ verdict: "untested", runId: null });
  });

  it("takes no verdict from a run that is still running or restoring, or was aborted", () => {
    const finished = run("r1", "passed", [held], "2026-12-01T09:00:00.000Z");
    for (const state of ["running", "restoring", "aborted"] as const) {
      const card = scorecard([run("r2", state, [refuted]), finished]);
      expect(card.find((e) => e.claim === "sessions-preserved")).toMatchObject({ verdict: "held", runId: "r1" });
    }
  });
});

describe("runToMarkdown", () => {
  it("shows each check's verdict and why one was not exercised", () => {
    const md = runToMarkdown(run("r2", "failed", [held, notExercised]));
    expect(md).toContain("- Verdict: **FAILED** — 1/2 held, 1 not exercised");
    expect(md).toContain("| ⚪ not exercised | older evicted first | no seeded entry evicted | Redis evicted nothing |");
    expect(md).toMatch(/oldest cache entries are evicted first: \*\*not exercised\*\* — Redis evicted nothing/);
  });
});

describe("formatSeconds", () => {
  it("never shows a time under the tick's resolution as 0", () => {
    expect(formatSeconds(0)).toBe("< 1 tick (≤ 1 s)");
    expect(formatSeconds(0.23)).toBe("0.23 s");
    expect(formatSeconds(null)).toBe("—");
    expect(formatMetric("detect_L1_s", 0)).toBe("< 1 tick (≤ 1 s)");
    expect(formatMetric("lost_writes", 0)).toBe("0");
  });
});

describe("finalStateOf (every target's run)", () => {
  const base = { threw: false, restored: true, aborted: false };
  it("passes only when every check held and the target is as before", () => {
    expect(finalStateOf({ ...base, checks: [held] })).toBe("passed");
    expect(finalStateOf({ ...base, checks: [held, refuted] })).toBe("failed");
    expect(finalStateOf({ ...base, checks: [held, notExercised] })).toBe("failed");
    expect(finalStateOf({ ...base, checks: [] })).toBe("failed");
  });
  it("an abort is aborted, whatever the checks, unless the target is not as before", () => {
    expect(finalStateOf({ ...base, aborted: true, checks: [held] })).toBe("aborted");
    expect(finalStateOf({ ...base, aborted: true, checks: [refuted] })).toBe("aborted");
    expect(finalStateOf({ ...base, aborted: true, restored: false, checks: [held] })).toBe("failed");
  });
  it("a scenario that threw, or a restore that failed, fails the run", () => {
    expect(finalStateOf({ ...base, threw: true, checks: [held] })).toBe("failed");
    expect(finalStateOf({ ...base, restored: false, checks: [held] })).toBe("failed");
  });
});
