"use client";

import Link from "next/link";
import { useDeployment, withDeployment } from "../live/use-deployment";
import { redact, usePresentMode } from "../live/use-present-mode";
import { useIncidents } from "../timeline/use-incidents";
import { formatDuration } from "../ui/format";

/**
 * The open incident with its age, linking to the Timeline; nothing when none is open. Once
 * everything is ok again it stays open for the settle period: the banner says so, so that its
 * title (the event that opened it, "Alert redis_up firing") is not read as still true.
 */
export function OpenIncident({ now }: { now: number }) {
  const { data } = useIncidents({});
  const present = usePresentMode();
  const deployment = useDeployment();
  const open = data?.incidents.find((i) => i.id === data.open);
  if (!open) return null;
  const age = Math.max(0, (now - Date.parse(open.startedAt)) / 1000);
  const okFor = open.recoveredAt ? Math.max(0, (now - Date.parse(open.recoveredAt)) / 1000) : null;
  const kind = open.drill ? "Drill" : "Incident";
  return (
    <Link
      data-testid="open-incident"
      data-settling={okFor !== null}
      href={withDeployment(present ? "/timeline?present=1" : "/timeline", deployment)}
      className={`flex flex-wrap items-center gap-2 rounded-lg border px-4 py-2 text-sm hover:ring-1 hover:ring-accent ${
        okFor === null ? "border-unavailable/50 bg-unavailable/10" : "border-degraded/50 bg-degraded/10"
      }`}
    >
      {/* The label says it is a drill: the title need not say it again. */}
      <span className={`font-bold uppercase ${okFor === null ? "text-unavailable" : "text-degraded"}`}>
        {okFor === null ? `${kind} open` : `${kind} settling`}
      </span>
      <span className="font-semibold">{redact(open.drill ? open.title.replace(/^Drill: /, "") : open.title, present)}</span>
      <span className="text-muted">open for {formatDuration(age)}</span>
      {okFor !== null && (
        <span className="text-ok">
          · everything ok again for {formatDuration(okFor)}
          {data?.settleMs ? `; it closes after ${formatDuration(data.settleMs / 1000)} ok` : ""}
        </span>
      )}
      <span className="ml-auto text-accent">Timeline →</span>
    </Link>
  );
}
