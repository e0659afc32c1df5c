"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { countByState, FLEET_STATES, matchesFleetFilter, type FleetPayload, type FleetState } from "@/lib/fleet/fleet-row";
import { LiveIndicator } from "../live/live-indicator";
import { usePresentMode } from "../live/use-present-mode";
import { useAge } from "../live/use-snapshot";
import { FleetRowView } from "./fleet-row-view";
import { useFleet } from "./use-fleet";

const STATE_LABEL: Record<FleetState, string> = { page: "page", warn: "warn", unknown: "unknown", ok: "ok" };
const INPUT = "rounded-md bg-panel-2 px-2 py-1 text-sm ring-1 ring-line";

/** Every deployment on one screen, worst first; the filter lives in the URL (?q=&state=) so a link shows what the sender saw. */
export function FleetView({ initial }: { initial: FleetPayload }) {
  const { fleet = initial, stream } = useFleet(initial);
  const age = useAge(fleet.at);
  const present = usePresentMode();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  // The name filter is typed here and mirrored into the URL: bound to the URL alone, keystrokes
  // typed before the navigation lands would be lost.
  const [q, setQ] = useState(() => params.get("q") ?? "");
  const states = (params.get("state") ?? "").split(",").filter((s): s is FleetState => (FLEET_STATES as string[]).includes(s));
  const setFilter = (next: { q?: string; states?: FleetState[] }) => {
    const p = new URLSearchParams(params.toString());
    const nq = next.q ?? q;
    if (next.q !== undefined) setQ(next.q);
    const ns = next.states ?? states;
    if (nq) p.set("q", nq);
    else p.delete("q");
    if (ns.length) p.set("state", ns.join(","));
    else p.delete("state");
    const text = p.toString();
    router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
  };
  const counts = countByState(fleet.rows);
  const shown = fleet.rows.filter((r) => matchesFleetFilter(r, { q, states }));
  const now = Date.parse(fleet.at) + (age ?? 0) * 1000;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Fleet</h1>
          <p data-testid="fleet-summary" className="text-muted">
            {fleet.rows.length} {fleet.rows.length === 1 ? "deployment" : "deployments"} ·{" "}
            <span className={counts.page ? "font-semibold text-unavailable" : ""}>{counts.page} paging</span> ·{" "}
            <span className={counts.warn ? "font-semibold text-degraded" : ""}>{counts.warn} warning</span> · {counts.ok} ok
            {counts.unknown ? ` · ${counts.unknown} not seen yet` : ""}
          </p>
        </div>
        <LiveIndicator stream={stream} at={fleet.at} ageSeconds={age} tickMs={1000} />
      </div>

      <div className="flex flex-wrap items-center gap-2" role="search">
        <input
          aria-label="Filter by name"
          data-testid="fleet-filter"
          placeholder="Filter by name…"
          className={`${INPUT} w-64`}
          value={q}
          onChange={(e) => setFilter({ q: e.target.value })}
        />
        {FLEET_STATES.map((s) => {
          const on = states.includes(s);
          return (
            <button
              key={s}
              type="button"
              aria-pressed={on}
              data-testid={`fleet-state-filter-${s}`}
              onClick={() => setFilter({ states: on ? states.filter((x) => x !== s) : [...states, s] })}
              className={`rounded-md px-2.5 py-1 text-sm ring-1 ${on ? "bg-accent/20 font-semibold text-text ring-accent" : "bg-panel-2 text-muted ring-line hover:text-text"}`}
            >
              {STATE_LABEL[s]} {counts[s]}
            </button>
          );
        })}
        {(q || states.length > 0) && (
          <button type="button" onClick={() => setFilter({ q: "", states: [] })} className="text-sm text-accent hover:underline">
            clear
          </button>
        )}
      </div>

      <div className="overflow-x-auto rounded-lg border border-line bg-panel">
        <table data-testid="fleet" className="w-full text-left">
          <thead className="text-xs text-muted uppercase">
            <tr>
              <th className="py-2 pr-3 pl-4 font-semibold">Deployment</th>
              <th className="px-3 py-2 font-semibold">State</th>
              <th className="px-3 py-2 font-semibold">Redis</th>
              <th className="px-3 py-2 font-semibold">Layers</th>
              <th className="px-3 py-2 font-semibold">Alerts</th>
              <th className="px-3 py-2 font-semibold">Incident</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <FleetRowView key={row.name} row={row} now={now} present={present} />
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={6} className="px-4 py-6 text-muted">
                  No deployment matches this filter.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
