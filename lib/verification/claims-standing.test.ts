import { describe, expect, it } from "vitest";
import type { ChaosRun, RunCheck } from "@/lib/chaos/types";
import { agedScorecard, deploymentScore, scoreHistory } from "./claims-standing";

const NOW = new Date("2026-12-06T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const policy = { expireAfterDays: 7, weights: {} };

function run(id: string, endedDaysAgo: number, checks: Partial<RunCheck>[]): ChaosRun {
  return {
    id,
    scenario: "outage",
    params: {},
    state: "passed",
    startedAt: daysAgo(endedDaysAgo),
    endedAt: daysAgo(endedDaysAgo),
    origin: "schedule",
    steps: [],
    metrics: {},
    postflight: null,
    checks: checks.map((c) => ({ expect: "", observed: "seen", ok: c.verdict === "held", verdict: "held", ...c }) as RunCheck),
  };
}

describe("claims standing", () => {
  // Newest first, as the store lists them.
  const runs = [
    run("r3", 2, [
      { claim: "outage-contract", layer: "L1", verdict: "held" },
      { claim: "outage-contract", layer: "L3", verdict: "refuted", ok: false },
    ]),
    run("r1", 9, [{ claim: "recovery-2-3s", layer: "L1", verdict: "held" }]),
  ];
  const claims = ["outage-contract", "recovery-2-3s", "rpo-1s"] as const;

  it("reads each claim's latest verdict with its age and expiry", () => {
    const entries = agedScorecard(runs, claims, NOW, policy);
    expect(entries.map((e) => [e.claim, e.age.phrase])).toEqual([
      ["outage-contract", "refuted 2 d ago"],
      ["recovery-2-3s", "expired (held 9 d ago)"],
      ["rpo-1s", "never run"],
    ]);
  });

  it("scores the deployment and each layer on what was checked there", () => {
    const s = deploymentScore(runs, claims, NOW, policy);
    // outage refuted (L3), recovery expired, rpo never run: nothing held.
    expect(s.overall).toMatchObject({ score: 0, weighed: 3 });
    // L1: outage held 2 d ago, recovery expired -> 1 of 2. L3: outage refuted -> 0 of 1.
    expect(s.layers.L1).toMatchObject({ score: 50, held: 1, weighed: 2 });
    expect(s.layers.L3).toMatchObject({ score: 0, weighed: 1 });
    expect(s.formula).toMatch(/Σ\(weight × held\)/);
  });

  it("draws the score's history: it rises with a run and falls when the verdict expires", () => {
    const single = [run("r1", 9, [{ claim: "recovery-2-3s", verdict: "held" }])];
    const history = scoreHistory(single, ["recovery-2-3s"], NOW, policy, 12);
    expect(history).toHaveLength(12);
    const byDay = Object.fromEntries(history.map((h) => [h.day, h.score]));
    expect(byDay["2026-11-26"]).toBe(0); // before the run
    expect(byDay["2026-11-27"]).toBe(100); // the run's day
    expect(byDay["2026-12-03"]).toBe(100); // 6 days on
    expect(byDay["2026-12-04"]).toBe(0); // 7 days on: expired
    expect(history.at(-1)).toEqual({ day: "2026-12-06", score: 0 });
  });
});
