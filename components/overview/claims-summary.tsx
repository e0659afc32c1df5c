"use client";

import Link from "next/link";
import { useChaosCatalogue } from "../chaos/use-chaos";

/** The guide's claims at a glance: held, refuted, not exercised by their latest run, never tested; links to the scorecard. */
export function ClaimsSummary({ href, readOnly = false }: { href: string; readOnly?: boolean }) {
  const entries = useChaosCatalogue().data?.scorecard;
  // The scorecard is the sandbox's: on a watched, read-only deployment nothing is tested, so no "untested" count.
  if (readOnly) {
    return (
      <Link href={href} data-testid="claims-summary" data-read-only className="text-sm hover:underline">
        <span className="text-muted">Guide claims: chaos is off for this deployment (read-only); they are tested in the sandbox</span>
        <span className="text-accent"> — scorecard →</span>
      </Link>
    );
  }
  if (!entries)
    return (
      <Link href={href} className="text-sm text-accent hover:underline">
        Guide claims scorecard →
      </Link>
    );
  // By standing: a verdict past its expiry is counted apart, as expired, whatever it was.
  const count = (v: string) => entries.filter((e) => (e.age?.standing ?? e.verdict) === v).length;
  return (
    <Link href={href} data-testid="claims-summary" className="text-sm hover:underline">
      <span className="text-muted">Guide claims: </span>
      <span className="text-ok">✓ {count("held")} held</span>
      <span className="text-muted"> · </span>
      <span className={count("refuted") ? "font-semibold text-unavailable" : "text-muted"}>✖ {count("refuted")} refuted</span>
      <span className="text-muted"> · </span>
      <span className={count("not-exercised") ? "text-degraded" : "text-muted"}>○ {count("not-exercised")} not exercised</span>
      <span className="text-muted"> · </span>
      <span data-testid="claims-expired" className={count("expired") ? "text-degraded" : "text-muted"}>
        ⌛ {count("expired")} expired
      </span>
      <span className="text-muted"> · {count("untested")} untested</span>
      <span className="text-accent"> — scorecard →</span>
    </Link>
  );
}
