/**
 * The resilience score (issue 29), Litmus's formula: the sum of weight × held over the sum of
 * weights, as a percentage. Only a fresh "held" earns its weight; refuted, expired, not exercised
 * and never-run claims count 0 but stay in the denominator, so a score decays when game days stop.
 * Pure.
 */
import type { ClaimStanding } from "./claim-age";

export const SCORE_FORMULA = "score = Σ(weight × held) / Σ(weight) × 100; a refuted, expired, not-exercised or never-run claim counts 0";

export interface ScoredClaim {
  claim: string;
  standing: ClaimStanding;
}

export interface ResilienceScore {
  /** 0-100, rounded to one decimal; null when no claim is weighed (nothing to score). */
  score: number | null;
  held: number;
  weighed: number;
  /** Each claim's part, for a page that shows why the score is what it is. */
  parts: { claim: string; weight: number; earned: number; standing: ClaimStanding }[];
}

/** `weights` by claim id; a claim not named weighs 1, a weight of 0 leaves it out. */
export function resilienceScore(claims: ScoredClaim[], weights: Record<string, number> = {}): ResilienceScore {
  const parts = claims
    .map((c) => {
      const weight = weights[c.claim] ?? 1;
      return { claim: c.claim, weight, earned: c.standing === "held" ? weight : 0, standing: c.standing };
    })
    .filter((p) => p.weight > 0);
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  const earned = parts.reduce((sum, p) => sum + p.earned, 0);
  return {
    score: total === 0 ? null : Math.round((earned / total) * 1000) / 10,
    held: parts.filter((p) => p.earned > 0).length,
    weighed: parts.length,
    parts,
  };
}
