import { describe, expect, it } from "vitest";
import { ago, claimAge } from "./claim-age";
import { resilienceScore } from "./resilience-score";

const now = new Date("2026-12-06T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describe("claim age", () => {
  it("reads a fresh verdict with its age", () => {
    expect(claimAge({ verdict: "held", measuredAt: hoursAgo(48) }, now).phrase).toBe("held 2 d ago");
    expect(claimAge({ verdict: "refuted", measuredAt: hoursAgo(1) }, now)).toMatchObject({ standing: "refuted", phrase: "refuted 1 h ago", ageSeconds: 3600 });
    expect(claimAge({ verdict: "not-exercised", measuredAt: hoursAgo(0.5) }, now).phrase).toBe("not exercised 30 min ago");
  });

  it("expires any verdict past expireAfterDays and keeps what it was", () => {
    const old = claimAge({ verdict: "held", measuredAt: hoursAgo(9 * 24) }, now);
    expect(old).toMatchObject({ standing: "expired", lastVerdict: "held", phrase: "expired (held 9 d ago)" });
    expect(claimAge({ verdict: "refuted", measuredAt: hoursAgo(9 * 24) }, now).standing).toBe("expired");
    // A longer expiry keeps it fresh; the boundary itself is expired.
    expect(claimAge({ verdict: "held", measuredAt: hoursAgo(9 * 24) }, now, 10).standing).toBe("held");
    expect(claimAge({ verdict: "held", measuredAt: hoursAgo(7 * 24) }, now, 7).standing).toBe("expired");
  });

  it("says never run for a claim no run spoke of", () => {
    expect(claimAge({ verdict: "untested", measuredAt: null }, now)).toMatchObject({ standing: "untested", phrase: "never run", ageSeconds: null });
  });

  it("words ages in the largest whole unit", () => {
    expect([ago(2), ago(12), ago(61), ago(7200), ago(86_400 * 3 + 5)]).toEqual(["just now", "12 s ago", "1 min ago", "2 h ago", "3 d ago"]);
  });
});

describe("resilience score", () => {
  it("is the weighed share of fresh holds; expired, refuted and never-run count 0", () => {
    const s = resilienceScore([
      { claim: "a", standing: "held" },
      { claim: "b", standing: "expired" },
      { claim: "c", standing: "refuted" },
      { claim: "d", standing: "untested" },
    ]);
    expect(s).toMatchObject({ score: 25, held: 1, weighed: 4 });
  });

  it("uses the configured weights and leaves out a claim weighed 0", () => {
    const claims = [
      { claim: "a", standing: "held" as const },
      { claim: "b", standing: "not-exercised" as const },
      { claim: "c", standing: "held" as const },
    ];
    expect(resilienceScore(claims, { a: 3, c: 0 }).score).toBe(75);
    expect(resilienceScore(claims, { a: 3, c: 0 }).weighed).toBe(2);
  });

  it("has no score when nothing is weighed", () => {
    expect(resilienceScore([]).score).toBeNull();
  });
});
