import Link from "next/link";
import type { FleetRow } from "@/lib/fleet/fleet-row";
import { redact } from "../live/use-present-mode";
import { formatDuration } from "../ui/format";

const STATE_STYLE: Record<FleetRow["state"], { label: string; tone: string; bar: string }> = {
  page: { label: "Page", tone: "bg-unavailable/15 text-unavailable ring-unavailable/50", bar: "bg-unavailable" },
  warn: { label: "Warn", tone: "bg-degraded/15 text-degraded ring-degraded/50", bar: "bg-degraded" },
  unknown: { label: "Unknown", tone: "bg-unknown/15 text-unknown ring-unknown/40", bar: "bg-unknown" },
  ok: { label: "OK", tone: "bg-ok/10 text-ok ring-ok/30", bar: "bg-ok/60" },
};
const LAYER_TONE: Record<string, string> = {
  ok: "bg-ok/15 text-ok",
  degraded: "bg-degraded/20 text-degraded",
  unavailable: "bg-unavailable/20 text-unavailable",
  unknown: "bg-unknown/20 text-unknown",
};

function redisLine(r: FleetRow["redis"]): string {
  if (r.masterUp === null) return "not looked at yet";
  const nodes = r.nodesDown ? `${r.nodes - r.nodesDown} of ${r.nodes} nodes up` : `${r.nodes} nodes up`;
  const master = r.cluster ? (r.masterUp ? "cluster ok" : "cluster failing") : r.masterUp ? `master ${r.master}` : "no master";
  return `${master} · ${nodes}${r.failoverInProgress ? " · failing over" : ""}`;
}

/** One deployment on the fleet screen; the whole row links into its Overview. */
export function FleetRowView({ row, now, present }: { row: FleetRow; now: number; present: boolean }) {
  const s = STATE_STYLE[row.state];
  const href = `/?deployment=${encodeURIComponent(row.name)}${present ? "&present=1" : ""}`;
  const incidentAge = row.incident ? formatDuration(Math.max(0, (now - Date.parse(row.incident.startedAt)) / 1000)) : null;
  return (
    <tr data-testid={`fleet-row-${row.name}`} data-state={row.state} className="group border-t border-line hover:bg-panel-2/60">
      <td className="relative py-2 pr-3 pl-4">
        <span aria-hidden className={`absolute inset-y-1 left-0 w-1 rounded-full ${s.bar}`} />
        <Link href={href} className="font-semibold text-text group-hover:text-accent">
          {row.name}
        </Link>
        <div className="text-xs text-muted">{row.source === "devstack" ? "sandbox" : "read-only"}</div>
      </td>
      <td className="px-3 py-2">
        <span data-testid={`fleet-state-${row.name}`} className={`rounded-md px-2 py-0.5 text-sm font-semibold ring-1 ${s.tone}`}>
          {s.label}
        </span>
        {row.reasons.length > 0 && <div className="mt-1 max-w-80 text-xs text-muted">{row.reasons.join(" · ")}</div>}
      </td>
      <td className="px-3 py-2 text-sm">
        <div className={row.redis.masterUp === false ? "font-semibold text-unavailable" : ""}>{redisLine(row.redis)}</div>
      </td>
      <td className="px-3 py-2">
        <div className="flex flex-wrap gap-1">
          {row.layers.length === 0 && <span className="text-xs text-muted">no layers</span>}
          {row.layers.map((l) => (
            <span
              key={l.id}
              title={`${l.id} ${l.status}${l.violation ? ", breaks its contract" : ""}`}
              className={`rounded px-1.5 py-0.5 font-mono text-xs font-semibold ${LAYER_TONE[l.status]} ${l.violation ? "ring-2 ring-unavailable" : ""}`}
            >
              {l.id}
            </span>
          ))}
        </div>
      </td>
      <td className="px-3 py-2 text-sm whitespace-nowrap">
        {row.alerts.page.length + row.alerts.warn.length + row.alerts.info.length === 0 ? (
          <span className="text-muted">none</span>
        ) : (
          <span className="flex gap-2" title={[...row.alerts.page, ...row.alerts.warn, ...row.alerts.info].join(", ")}>
            {row.alerts.page.length > 0 && <span className="font-semibold text-unavailable">{row.alerts.page.length} page</span>}
            {row.alerts.warn.length > 0 && <span className="font-semibold text-degraded">{row.alerts.warn.length} warn</span>}
            {row.alerts.info.length > 0 && <span className="text-muted">{row.alerts.info.length} info</span>}
          </span>
        )}
      </td>
      <td className="px-3 py-2 text-sm">
        {row.incident ? (
          <Link href={`/timeline?deployment=${encodeURIComponent(row.name)}${present ? "&present=1" : ""}`} className="hover:text-accent">
            <span className={row.incident.severity === "page" ? "font-semibold text-unavailable" : "font-semibold text-degraded"}>
              {row.incident.drill ? "Drill" : "Open"} {incidentAge}
            </span>
            <div className="max-w-64 truncate text-xs text-muted">{redact(row.incident.title, present)}</div>
          </Link>
        ) : (
          <span className="text-muted">none</span>
        )}
      </td>
    </tr>
  );
}
