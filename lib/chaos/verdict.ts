/**
 * Checks in three states: held, refuted, or not exercised (the thing under test did not
 * happen, so the check says nothing). Counting, a run's pass and a claim's verdict are read
 * from here, so nothing counts a check that was not exercised as held. Pure.
 */
import type { ChaosRun, CheckVerdict, ClaimId, FinalState, RunCheck } from "./types";

interface CheckBase {
  expect: string;
  observed: string;
  claim?: ClaimId;
  layer?: string;
  shard?: string;
}

/** What a scenario records: a judged check (`ok`) or one whose premise did not happen (`notExercised`: the reason). */
export type CheckInput = CheckBase & ({ ok: boolean; notExercised?: undefined } | { notExercised: string; ok?: undefined });

export function makeCheck(input: CheckInput): RunCheck {
  const { notExercised, ok, ...base } = input;
  if (notExercised !== undefined) return { ...base, verdict: "not-exercised", reason: notExercised, ok: false };
  return { ...base, verdict: ok ? "held" : "refuted", ok: !!ok };
}

const NOT_EXERCISED_PREFIX = /^not exercised:\s*/;

/** A check's verdict, also for runs stored before checks had one (then a not-exercised check said so in its text and was stored as ok). */
export function verdictOf(c: Pick<RunCheck, "ok" | "observed"> & { verdict?: CheckVerdict }): CheckVerdict {
  if (c.verdict) return c.verdict;
  if (NOT_EXERCISED_PREFIX.test(c.observed)) return "not-exercised";
  return c.ok ? "held" : "refuted";
}

/** Brings a stored check to the three-state shape (runs written by earlier versions). */
export function normalizeCheck(c: RunCheck): RunCheck {
  const verdict = verdictOf(c);
  const reason = verdict === "not-exercised" ? (c.reason ?? c.observed.replace(NOT_EXERCISED_PREFIX, "")) : undefined;
  return { ...c, verdict, ok: verdict === "held", ...(reason ? { reason } : {}) };
}

export interface VerdictTally {
  held: number;
  refuted: number;
  notExercised: number;
  total: number;
}

export function tally(checks: RunCheck[]): VerdictTally {
  const t = { held: 0, refuted: 0, notExercised: 0, total: checks.length };
  for (const c of checks) {
    const v = verdictOf(c);
    if (v === "held") t.held++;
    else if (v === "refuted") t.refuted++;
    else t.notExercised++;
  }
  return t;
}

/** "3/4 held, 1 not exercised": what a run's checks found, never folding not-exercised into held. */
export function tallyLine(t: VerdictTally): string {
  return [`${t.held}/${t.total} held`, ...(t.refuted ? [`${t.refuted} refuted`] : []), ...(t.notExercised ? [`${t.notExercised} not exercised`] : [])].join(
    ", ",
  );
}

/** A run passes only when it has checks and every one of them held. */
export function everyCheckHeld(checks: RunCheck[]): boolean {
  return checks.length > 0 && checks.every((c) => verdictOf(c) === "held");
}

/** A claim's verdict from the checks of one run that speak of it: any refutation wins, then any check not exercised. */
/**
 * A run's final state, the same on every target (run-engine.ts): failed when the scenario threw
 * or the close found the target not as before (even after an abort: what is left broken is said
 * first), else aborted when it was stopped, else passed only if every check held.
 */
export function finalStateOf(run: { threw: boolean; restored: boolean; aborted: boolean; checks: RunCheck[] }): FinalState {
  if (run.threw || !run.restored) return "failed";
  if (run.aborted) return "aborted";
  return everyCheckHeld(run.checks) ? "passed" : "failed";
}

export function claimVerdict(checks: RunCheck[]): CheckVerdict {
  const verdicts = checks.map(verdictOf);
  if (verdicts.includes("refuted")) return "refuted";
  if (!verdicts.length || verdicts.includes("not-exercised")) return "not-exercised";
  return "held";
}

/** The verdicts of a run's claims, in first-seen order. */
export function claimVerdicts(run: ChaosRun): { claim: ClaimId; verdict: CheckVerdict; checks: RunCheck[] }[] {
  const claims = [...new Set(run.checks.map((c) => c.claim).filter((c): c is ClaimId => !!c))];
  return claims.map((claim) => {
    const checks = run.checks.filter((c) => c.claim === claim);
    return { claim, verdict: claimVerdict(checks), checks };
  });
}

/** The text a verdict shows as, in tables and reports. */
export const VERDICT_LABEL: Record<CheckVerdict, string> = { held: "held", refuted: "REFUTED", "not-exercised": "not exercised" };
