/** The guide's claims with their latest measured verdicts. Pure. */
import { CLAIM_NOTES, CLAIMS, type ChaosRun, type ClaimId, type ScorecardEntry } from "./types";
import { claimVerdict, verdictOf } from "./verdict";

/**
 * `runs` newest first. A claim takes the verdict of its latest finished run that spoke of it (a
 * run still restoring is not finished: its restore or post-flight may yet fail it):
 * refuted if any check refuted it, not-exercised if any did not happen, else held. "untested"
 * only when no run ever spoke of it.
 */
export function scorecard(runs: ChaosRun[]): ScorecardEntry[] {
  return (Object.keys(CLAIMS) as ClaimId[]).map((claim) => ({ ...entry(runs, claim), ...(CLAIM_NOTES[claim] ? { note: CLAIM_NOTES[claim] } : {}) }));
}

function entry(runs: ChaosRun[], claim: ClaimId): ScorecardEntry {
  {
    const run = runs.find((r) => (r.state === "passed" || r.state === "failed") && r.checks.some((c) => c.claim === claim));
    if (!run) return { claim, text: CLAIMS[claim], verdict: "untested", runId: null, measuredAt: null, observed: null, reason: null };
    const checks = run.checks.filter((c) => c.claim === claim);
    const verdict = claimVerdict(checks);
    const telling = checks.find((c) => verdictOf(c) === verdict) ?? checks[0];
    return {
      claim,
      text: CLAIMS[claim],
      verdict,
      runId: run.id,
      measuredAt: run.endedAt ?? run.startedAt,
      observed: telling.observed,
      reason: verdict === "not-exercised" ? (telling.reason ?? null) : null,
    };
  }
}
