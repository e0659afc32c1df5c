"use client";

import Link from "next/link";
import { useDeployment, withDeployment } from "../live/use-deployment";
import { redact, usePresentMode } from "../live/use-present-mode";
import { useIncidents } from "../timeline/use-incidents";
import { formatDuration } from "../ui/format";

/** The open incident with its age, linking to the Timeline; nothing when none is open. */
export function OpenIncident({ now }: { now: number }) {
  const { data } = useIncidents({});
  const present = usePresentMode();
  const deployment = useDeployment();
  const open = data?.incidents.find((i) => i.id === data.open);
  if (!open) return null;
  const age = Math.max(0, (now - Date.parse(open.startedAt)) / 1000);
  return (
    <Link
      data-testid="open-incident"
      href={withDeployment(present ? "/timeline?present=1" : "/timeline", deployment)}
      className="flex flex-wrap items-center gap-2 rounded-lg border border-unavailable/50 bg-unavailable/10 px-4 py-2 text-sm hover:ring-1 hover:ring-accent"
    >
      {/* The label says it is a drill: the title need not say it again. */}
      <span className="font-bold text-unavailable uppercase">{open.drill ? "Drill open" : "Incident open"}</span>
      <span className="font-semibold">{redact(open.drill ? open.title.replace(/^Drill: /, "") : open.title, present)}</span>
      <span className="text-muted">for {formatDuration(age)}</span>
      <span className="ml-auto text-accent">Timeline →</span>
    </Link>
  );
}
