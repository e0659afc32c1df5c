import { describe, expect, it } from "vitest";
import { makeCheck } from "../chaos/verdict";
import type { ChaosRun } from "../chaos/types";
import type { Snapshot } from "../snapshot/types";
import { metricsRegistry } from "./exposition";

const snapshot = {
  layers: [],
  redis: { nodes: [], available: true },
  sentinel: { sentinels: [], reachable: 0, quorum: null, failoverInProgress: false, history: [] },
  alerts: [],
  tick: { ms: 1000, durationMs: 5 },
} as unknown as Snapshot;

function run(id: string, scenario: ChaosRun["scenario"], state: ChaosRun["state"], checks: ChaosRun["checks"], endedAt: string): ChaosRun {
  return { id, scenario, params: {}, state, startedAt: endedAt, endedAt, origin: "api", steps: [], checks, metrics: {}, postflight: null };
}

async function scrape(runs: ChaosRun[]): Promise<(name: string, labels: string) => string | undefined> {
  const text = await metricsRegistry(() => [{ snapshot: () => snapshot, runs: () => runs, tickErrors: () => 0, deployment: "sandbox" }]).metrics();
  return (name, labels) => new RegExp(`^${name}\\{${labels}[^}]*\\} (\\S+)$`, "m").exec(text)?.[1];
}

describe("chaos metrics", () => {
  it("count a not-exercised check in its own state, never as held, for the latest run of each scenario", async () => {
    const latest = run(
      "r2",
      "data-integrity",
      "failed",
      [
        makeCheck({ claim: "crash-no-loss", expect: "e", observed: "o", ok: true }),
        makeCheck({ claim: "rpo-1s", expect: "e", observed: "o", notExercised: "process crash only" }),
      ],
      "2026-12-01T10:00:00.000Z",
    );
    const older = run("r1", "data-integrity", "passed", [makeCheck({ claim: "rpo-1s", expect: "e", observed: "o", ok: true })], "2026-12-01T09:00:00.000Z");
    const m = await scrape([latest, older]);
    expect(m("rrc_chaos_run_passed", 'scenario="data-integrity"')).toBe("0");
    expect(m("rrc_chaos_run_state", 'scenario="data-integrity",state="failed"')).toBe("1");
    expect(m("rrc_chaos_checks", 'scenario="data-integrity",verdict="held"')).toBe("1");
    expect(m("rrc_chaos_checks", 'scenario="data-integrity",verdict="not-exercised"')).toBe("1");
    expect(m("rrc_chaos_checks", 'scenario="data-integrity",verdict="refuted"')).toBe("0");
    expect(m("rrc_chaos_checks_held_ratio", 'scenario="data-integrity"')).toBe("0.5");
    expect(m("rrc_chaos_claim_verdict", 'claim="rpo-1s",verdict="not-exercised"')).toBe("1");
    expect(m("rrc_chaos_claim_verdict", 'claim="rpo-1s",verdict="held"')).toBe("0");
    expect(m("rrc_chaos_claim_verdict", 'claim="failover-automatic",verdict="untested"')).toBe("1");
  });
  it("has no claim verdicts for a deployment without runs", async () => {
    expect((await scrape([]))("rrc_chaos_claim_verdict", 'claim="rpo-1s",verdict="untested"')).toBeUndefined();
  });

  it("expose each claim's verdict age and the resilience score, overall and per layer", async () => {
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const r = run(
      "r3",
      "outage",
      "passed",
      [
        makeCheck({ claim: "outage-contract", layer: "L1", expect: "e", observed: "o", ok: true }),
        makeCheck({ claim: "outage-contract", layer: "L3", expect: "e", observed: "o", ok: false }),
      ],
      hourAgo,
    );
    const claims = () => ({ claims: ["outage-contract", "rpo-1s"] as const, policy: { expireAfterDays: 7, weights: {} } });
    const text = await metricsRegistry(() => [{ snapshot: () => snapshot, runs: () => [r], tickErrors: () => 0, deployment: "sandbox", claims }]).metrics();
    const m = (name: string, labels: string) => new RegExp(`^${name}\\{${labels}[^}]*\\} (\\S+)$`, "m").exec(text)?.[1];
    const age = Number(m("rrc_claim_verdict_age_seconds", 'claim="outage-contract"'));
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3700);
    // rpo-1s was never measured: no age, and it weighs in the score as 0.
    expect(m("rrc_claim_verdict_age_seconds", 'claim="rpo-1s"')).toBeUndefined();
    expect(m("rrc_resilience_score", 'layer="all"')).toBe("0");
    expect(m("rrc_resilience_score", 'layer="L1"')).toBe("100");
    expect(m("rrc_resilience_score", 'layer="L3"')).toBe("0");
  });
});
