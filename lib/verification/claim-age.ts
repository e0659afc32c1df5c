/**
 * A verdict is only as good as its age (issue 29): each claim's last verdict is read with when it
 * was measured and whether it has expired. Pure; the scorecard, the Overview's summary, the score
 * and the `rrc_claim_verdict_age_seconds` metric all read a claim through this.
 */

export type MeasuredVerdict = "held" | "refuted" | "not-exercised";

/** What the scorecard says of a claim now: its verdict while fresh, "expired" past its expiry. */
export type ClaimStanding = MeasuredVerdict | "expired" | "untested";

export interface ClaimReading {
  verdict: MeasuredVerdict | "untested";
  /** ISO time of the run that gave the verdict; null when untested. */
  measuredAt: string | null;
}

export interface ClaimAge {
  standing: ClaimStanding;
  /** The verdict measured, kept when expired ("expired (held 9 d ago)"). */
  lastVerdict: MeasuredVerdict | null;
  ageSeconds: number | null;
  expiresAt: string | null;
  /** "held 2 d ago", "expired (held 9 d ago)", "refuted 1 h ago", "never run". */
  phrase: string;
}

export const DEFAULT_EXPIRE_AFTER_DAYS = 7;

export function claimAge(reading: ClaimReading, now: Date, expireAfterDays = DEFAULT_EXPIRE_AFTER_DAYS): ClaimAge {
  if (reading.verdict === "untested" || !reading.measuredAt) {
    return { standing: "untested", lastVerdict: null, ageSeconds: null, expiresAt: null, phrase: "never run" };
  }
  const measured = new Date(reading.measuredAt).getTime();
  const ageSeconds = Math.max(0, Math.round((now.getTime() - measured) / 1000));
  const expiresAt = new Date(measured + expireAfterDays * 86_400_000);
  const said = `${verdictWords(reading.verdict)} ${ago(ageSeconds)}`;
  // Any verdict expires: a refutation from before two upgrades says as little as a hold does.
  if (now.getTime() >= expiresAt.getTime()) {
    return { standing: "expired", lastVerdict: reading.verdict, ageSeconds, expiresAt: expiresAt.toISOString(), phrase: `expired (${said})` };
  }
  return { standing: reading.verdict, lastVerdict: reading.verdict, ageSeconds, expiresAt: expiresAt.toISOString(), phrase: said };
}

function verdictWords(verdict: MeasuredVerdict): string {
  return verdict === "not-exercised" ? "not exercised" : verdict;
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago": the largest unit that is at least 1. */
export function ago(seconds: number): string {
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
