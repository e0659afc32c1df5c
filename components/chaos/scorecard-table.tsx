"use client";

import Link from "next/link";
import type { ClaimStanding } from "@/lib/verification/claim-age";
import type { AgedScorecardEntry } from "@/lib/verification/claims-standing";
import { formatTime } from "../ui/format";

const VERDICT: Record<ClaimStanding, string> = {
  held: "bg-ok/15 text-ok ring-ok/40",
  refuted: "bg-unavailable/20 text-unavailable ring-unavailable/50",
  "not-exercised": "bg-degraded/15 text-degraded ring-degraded/40",
  expired: "bg-panel-2 text-degraded ring-degraded/40",
  untested: "bg-panel-2 text-muted ring-line",
};
const LABEL: Record<ClaimStanding, string> = { held: "held", refuted: "refuted", "not-exercised": "not exercised", expired: "expired", untested: "untested" };

/**
 * Each of the guide's claims with its latest run's verdict and its age: "not exercised" says why,
 * "expired" is a verdict older than claims.expireAfterDays (it no longer counts), "untested"
 * means no run ever spoke of it.
 */
export function ScorecardTable({ entries }: { entries: AgedScorecardEntry[] }) {
  return (
    <table data-testid="scorecard" className="w-full text-left text-sm">
      <thead className="text-muted">
        <tr>
          <th className="py-1 pr-3">Guide claim</th>
          <th className="py-1 pr-3">Verdict</th>
          <th className="py-1 pr-3">Observed</th>
          <th className="py-1 whitespace-nowrap">Measured</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-line">
        {entries.map((e) => (
          <tr key={e.claim} data-claim={e.claim} data-verdict={e.verdict} data-standing={e.age.standing}>
            <td className="py-2 pr-3">
              {e.text}
              {/* Which setup a claim speaks of (the platform's documented one or the sandbox's following address). */}
              {e.note && (
                <span data-testid="claim-note" className="mt-0.5 block text-xs text-muted">
                  {e.note}
                </span>
              )}
            </td>
            <td className="py-2 pr-3">
              <span className={`rounded px-2 py-0.5 text-xs font-bold uppercase ring-1 ${VERDICT[e.age.standing]}`}>{LABEL[e.age.standing]}</span>
            </td>
            <td className="py-2 pr-3 font-mono text-[13px]">
              {e.observed ?? "—"}
              {e.reason && <span className="block font-sans text-degraded">not exercised: {e.reason}</span>}
            </td>
            <td className="py-2 whitespace-nowrap text-muted">
              {e.runId && e.measuredAt ? (
                <Link
                  className="text-accent hover:underline"
                  href={`/chaos/runs/${e.runId}`}
                  title={`${formatTime(e.measuredAt)}; expires ${e.age.expiresAt ? formatTime(e.age.expiresAt) : "never"}`}
                >
                  <span data-testid="claim-age">{e.age.phrase}</span>
                </Link>
              ) : (
                "never"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
