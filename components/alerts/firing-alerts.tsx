"use client";

import type { AlertState } from "@/lib/snapshot/types";
import { formatDuration } from "../ui/format";

const SEVERITY = {
  page: "bg-unavailable/20 text-unavailable ring-unavailable/50",
  warn: "bg-degraded/20 text-degraded ring-degraded/50",
  info: "bg-panel-2 text-text ring-line",
};

export function FiringAlerts({ alerts, now }: { alerts: AlertState[]; now: number }) {
  const firing = alerts.filter((a) => a.firing);
  if (!firing.length)
    return (
      <p data-testid="alerts-none" className="text-muted">
        No alert firing. {alerts.length} rules evaluated each tick.
      </p>
    );
  return (
    <ul data-testid="alerts-firing" className="flex flex-col gap-2">
      {firing.map((a) => (
        <li key={a.rule} className={`flex flex-wrap items-baseline justify-between gap-2 rounded-md px-3 py-2 ring-1 ${SEVERITY[a.severity]}`}>
          <span>
            <span className="mr-2 text-sm font-bold uppercase">{a.severity}</span>
            <span className="font-mono font-semibold">{a.rule}</span>
            <span className="ml-2 text-text">{a.summary}</span>
          </span>
          {a.since && <span className="text-sm">for {formatDuration((now - Date.parse(a.since)) / 1000)}</span>}
        </li>
      ))}
    </ul>
  );
}
