/**
 * The scorecard read with ages, and the resilience score of a deployment and of each layer, from
 * its runs. Pure: the scorecard rule stays the one in lib/chaos/scorecard (a claim takes its
 * latest finished run's verdict); this adds when, whether it expired, and what that is worth.
 */
import { scorecard } from "@/lib/chaos/scorecard";
import type { ChaosRun, ClaimId, ScorecardEntry } from "@/lib/chaos/types";
import { claimAge, type ClaimAge, type ClaimStanding } from "./claim-age";
import { resilienceScore, SCORE_FORMULA, type ResilienceScore } from "./resilience-score";

export type AgedScorecardEntry = ScorecardEntry & { age: ClaimAge };

export interface ClaimsPolicy {
  expireAfterDays: number;
  weights: Record<string, number>;
}

/** The scorecard of `runs` (newest first) for `claims`, each entry with its age at `now`. */
export function agedScorecard(runs: ChaosRun[], claims: readonly ClaimId[], now: Date, policy: ClaimsPolicy): AgedScorecardEntry[] {
  const scope = new Set(claims);
  return scorecard(runs)
    .filter((e) => scope.has(e.claim))
    .map((e) => ({ ...e, age: claimAge({ verdict: e.verdict, measuredAt: e.measuredAt }, now, policy.expireAfterDays) }));
}

export interface DeploymentScore {
  formula: string;
  overall: ResilienceScore;
  /** Per layer, over the claims some run ever checked on that layer. */
  layers: Record<string, ResilienceScore>;
}

export function deploymentScore(runs: ChaosRun[], claims: readonly ClaimId[], now: Date, policy: ClaimsPolicy): DeploymentScore {
  const standings = (rs: ChaosRun[]) => agedScorecard(rs, claims, now, policy).map((e) => ({ claim: e.claim, standing: e.age.standing }));
  const layers: Record<string, ResilienceScore> = {};
  for (const layer of layersChecked(runs)) {
    // The same rule on the layer's checks alone: a layer's claim holds when its checks on that layer did.
    const onLayer = runs.map((r) => ({ ...r, checks: r.checks.filter((c) => c.layer === layer) }));
    const checkedClaims = new Set(onLayer.flatMap((r) => r.checks.map((c) => c.claim)));
    layers[layer] = resilienceScore(
      standings(onLayer).filter((s) => checkedClaims.has(s.claim)),
      policy.weights,
    );
  }
  return { formula: SCORE_FORMULA, overall: resilienceScore(standings(runs), policy.weights), layers };
}

function layersChecked(runs: ChaosRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.checks.map((c) => c.layer).filter((l): l is string => !!l)))].sort();
}

/**
 * The overall score as it stood at the end of each of the last `days` days: only the runs ended
 * by then count, and expiry is judged at that moment, so the line falls when game days stop.
 */
export function scoreHistory(
  runs: ChaosRun[],
  claims: readonly ClaimId[],
  now: Date,
  policy: ClaimsPolicy,
  days = 90,
): { day: string; score: number | null }[] {
  const out: { day: string; score: number | null }[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = days - 1; i >= 0; i--) {
    const dayStart = today - i * 86_400_000;
    const end = new Date(Math.min(dayStart + 86_400_000 - 1, now.getTime()));
    const known = runs.filter((r) => Date.parse(r.endedAt ?? r.startedAt) <= end.getTime());
    const standings: { claim: string; standing: ClaimStanding }[] = agedScorecard(known, claims, end, policy).map((e) => ({
      claim: e.claim,
      standing: e.age.standing,
    }));
    out.push({ day: new Date(dayStart).toISOString().slice(0, 10), score: resilienceScore(standings, policy.weights).score });
  }
  return out;
}
