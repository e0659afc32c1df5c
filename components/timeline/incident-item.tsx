"use client";

import { seconds } from "@/lib/incidents/postmortem";
import type { Incident } from "@/lib/incidents/types";
import { useApiPath } from "../live/use-deployment";
import { redact } from "../live/use-present-mode";
import { formatDuration, formatTime } from "../ui/format";

const WORST = { ok: "text-muted", unknown: "text-unknown", degraded: "text-degraded", unavailable: "text-unavailable" } as const;
const DOT = { page: "bg-unavailable", warn: "bg-degraded", info: "bg-unknown" } as const;
const LINK = "rounded-md bg-panel-2 px-2 py-1 text-xs font-semibold ring-1 ring-line hover:ring-accent";

/** One incident: how it was noticed, what each layer felt and for how long, its key moments; details folded. */
export function IncidentItem({ incident: i, now, present }: { incident: Incident; now: number; present: boolean }) {
  const api = useApiPath();
  const age = (now - Date.parse(i.startedAt)) / 1000;
  const impacted = i.layers.filter((l) => l.worst !== "ok");
  return (
    <li data-testid="incident" data-state={i.state} data-drill={i.drill} className="flex flex-col gap-2 px-4 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${DOT[i.severity]}`} />
        {i.state === "open" && i.recoveredAt ? (
          <span className="rounded bg-degraded/15 px-1.5 text-xs font-bold text-degraded uppercase">settling</span>
        ) : i.state === "open" ? (
          <span className="rounded bg-unavailable/15 px-1.5 text-xs font-bold text-unavailable uppercase">open</span>
        ) : (
          <span className="text-xs font-semibold text-muted uppercase">closed</span>
        )}
        {i.drill && <span className="rounded bg-accent/15 px-1.5 text-xs font-bold text-accent uppercase">drill</span>}
        <span className="font-semibold">{redact(i.title, present)}</span>
        <span className="ml-auto flex gap-2">
          <a data-testid="incident-export-markdown" href={api(`/api/incidents/${encodeURIComponent(i.id)}?format=markdown`)} download className={LINK}>
            Postmortem (Markdown)
          </a>
          <a href={api(`/api/incidents/${encodeURIComponent(i.id)}?format=json`)} download={`incident-${i.id}.json`} className={LINK}>
            JSON
          </a>
        </span>
      </div>
      <p className="text-sm text-muted">
        {formatTime(i.startedAt)} · noticed by {i.noticedBy.kind}: {redact(i.noticedBy.title, present)} ·{" "}
        {i.state === "open" ? `open for ${formatDuration(age)}` : `lasted ${seconds(i.durationMs)}`}
        {i.state === "open" && i.recoveredAt && ` · everything ok again since ${formatTime(i.recoveredAt)}, closes once that has lasted the settle period`}
      </p>
      <div data-testid="incident-impact" className="flex flex-wrap gap-2 text-sm">
        {impacted.length === 0 && <span className="text-muted">no layer left ok</span>}
        {impacted.map((l) => (
          <span key={l.layer} className="rounded border border-line px-2 py-0.5">
            <span className="font-mono font-semibold">{l.layer}</span> <span className={WORST[l.worst]}>{l.worst}</span>{" "}
            {seconds((l.ms.degraded ?? 0) + (l.ms.unavailable ?? 0) + (l.ms.unknown ?? 0))}
            {l.violationMs > 0 && <span className="text-unavailable"> · contract broken {seconds(l.violationMs)}</span>}
          </span>
        ))}
      </div>
      {i.moments.length > 0 && (
        <ul className="ml-4 list-disc text-sm">
          {i.moments.map((m, k) => (
            <li key={k}>
              <span className="font-mono text-muted">{formatTime(m.at)}</span> {redact(m.title, present)}
              {m.failoverMs !== undefined && (
                <span className="text-muted">
                  {" "}
                  (failover {seconds(m.failoverMs)}
                  {m.phases?.length ? `: ${m.phases.map((p) => `${p.name} ${seconds(p.ms)}`).join(", ")}` : ""})
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {(i.alerts.length > 0 || i.details.length > 0) && (
        <details className="text-sm">
          <summary className="cursor-pointer text-muted">
            {i.alerts.length} alert events, {i.details.length} details
          </summary>
          <ul className="mt-1 ml-4 list-disc">
            {i.alerts.map((a, k) => (
              <li key={`a${k}`}>
                <span className="font-mono text-muted">{formatTime(a.at)}</span> alert {a.rule} {a.state}
              </li>
            ))}
            {i.details.map((d, k) => (
              <li key={`d${k}`}>
                <span className="font-mono text-muted">{formatTime(d.at)}</span> {d.kind}: {redact(d.title, present)}
                {d.count > 1 ? ` (×${d.count})` : ""}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}
