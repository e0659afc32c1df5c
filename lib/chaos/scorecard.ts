/** The guide's claims with their latest measured verdicts. Pure. */
import { CLAIMS, type ChaosRun, type ClaimId, type ScorecardEntry } from "./types";

/** `runs` newest first. A claim is held when every check of its latest run that speaks of it held. */
export function scorecard(runs: ChaosRun[]): ScorecardEntry[] {
  return (Object.keys(CLAIMS) as ClaimId[]).map((claim) => {
    const run = runs.find((r) => r.state !== "running" && r.state !== "aborted" && r.checks.some((c) => c.claim === claim));
    if (!run) return { claim, text: CLAIMS[claim], verdict: "untested", runId: null, measuredAt: null, observed: null };
    const checks = run.checks.filter((c) => c.claim === claim);
    const failed = checks.filter((c) => !c.ok);
    return {
      claim,
      text: CLAIMS[claim],
      verdict: failed.length ? "refuted" : "held",
      runId: run.id,
      measuredAt: run.endedAt ?? run.startedAt,
      observed: (failed[0] ?? checks[0]).observed,
    };
  });
}
