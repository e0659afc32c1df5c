"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query/keys";
import type { Snapshot } from "@/lib/snapshot/types";
import type { TimelineEvent } from "@/lib/timeline/types";
import { LiveIndicator } from "../live/live-indicator";
import { useApiPath } from "../live/use-deployment";
import { redact, usePresentMode } from "../live/use-present-mode";
import { useAge, useSnapshot } from "../live/use-snapshot";
import { formatTime } from "../ui/format";
import { IncidentsList } from "./incidents-list";
import type { IncidentList } from "./use-incidents";

const DOT = { page: "bg-unavailable", warn: "bg-degraded", info: "bg-unknown" } as const;

async function fetchTimeline(url: string): Promise<TimelineEvent[]> {
  const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`timeline answered ${res.status}`);
  return (await res.json()).events;
}

export function TimelineView({
  initialEvents,
  initialSnapshot,
  initialIncidents,
}: {
  initialEvents: TimelineEvent[];
  initialSnapshot: Snapshot;
  initialIncidents: IncidentList;
}) {
  const { snapshot = initialSnapshot, stream } = useSnapshot(initialSnapshot);
  const age = useAge(snapshot.at);
  const present = usePresentMode();
  const api = useApiPath();
  const { data: events = initialEvents } = useQuery({
    queryKey: queryKeys.timeline,
    queryFn: () => fetchTimeline(api("/api/timeline")),
    initialData: initialEvents,
    // The stream pushes every replica's events (each follows the store); with several replicas a
    // slow refetch stays as the safety net for what a stream cannot push: events past the 100
    // that wait for a tab that stopped reading, and the store's versions of what this replica
    // showed of its own while the store was down. Polled every 5 s while the stream is down.
    refetchInterval: stream !== "live" ? 5000 : snapshot.records?.shared ? 30_000 : false,
    staleTime: Infinity,
  });
  const newestFirst = [...events].reverse();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Incident timeline</h1>
          <p className="text-muted">
            {events.length} {events.length === 1 ? "event" : "events"}, newest first. Alerts, outages, failovers and chaos steps as they happened.
          </p>
        </div>
        <div className="flex items-center gap-2">
          <a
            data-testid="export-markdown"
            href={api("/api/timeline?format=markdown")}
            download
            className="rounded-md bg-panel-2 px-3 py-1.5 text-sm font-semibold ring-1 ring-line hover:ring-accent"
          >
            Export Markdown
          </a>
          <a
            data-testid="export-json"
            href={api("/api/timeline?format=json")}
            download="incident-timeline.json"
            className="rounded-md bg-panel-2 px-3 py-1.5 text-sm font-semibold ring-1 ring-line hover:ring-accent"
          >
            Export JSON
          </a>
          <LiveIndicator stream={stream} at={snapshot.at} ageSeconds={age} tickMs={snapshot.tick.ms} />
        </div>
      </div>
      <IncidentsList initial={initialIncidents} now={Date.parse(snapshot.at) + (age ?? 0) * 1000} present={present} />
      <h2 className="text-lg font-semibold">All events</h2>
      <ol data-testid="timeline" className="flex flex-col divide-y divide-line rounded-lg border border-line bg-panel">
        {newestFirst.length === 0 && <li className="p-4 text-muted">Nothing has happened yet.</li>}
        {newestFirst.map((e) => (
          <li key={e.id} data-kind={e.kind} className="grid grid-cols-[7.5rem_1fr] gap-3 px-4 py-2.5">
            <time className="font-mono text-sm text-muted" dateTime={e.at}>
              {formatTime(e.at)}
            </time>
            <div>
              <div className="flex items-center gap-2">
                <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${DOT[e.severity]}`} />
                <span className="text-xs font-semibold text-muted uppercase">{e.kind}</span>
                <span className="font-medium">{redact(e.title, present)}</span>
              </div>
              {e.detail && <p className="mt-0.5 text-sm text-muted">{redact(e.detail, present)}</p>}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
