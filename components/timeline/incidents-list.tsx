"use client";

import { useState } from "react";
import type { IncidentFilter, IncidentKind } from "@/lib/incidents/filter";
import type { Incident } from "@/lib/incidents/types";
import { IncidentItem } from "./incident-item";
import { useIncidents, type IncidentList } from "./use-incidents";

const SELECT = "rounded-md bg-panel-2 px-2 py-1 text-sm ring-1 ring-line";

/** Incidents, the open one first, with filters by kind and severity and a search. */
export function IncidentsList({ initial, now, present }: { initial: IncidentList; now: number; present: boolean }) {
  const [filter, setFilter] = useState<IncidentFilter>({});
  const { data, isError } = useIncidents(filter, initial);
  const list = data?.incidents ?? [];
  return (
    <section aria-label="Incidents" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="mr-auto text-lg font-semibold">Incidents</h2>
        <select
          aria-label="Kind"
          data-testid="incident-kind"
          className={SELECT}
          value={filter.kind ?? ""}
          onChange={(e) => setFilter({ ...filter, kind: (e.target.value || undefined) as IncidentKind | undefined })}
        >
          <option value="">all kinds</option>
          <option value="incident">incidents</option>
          <option value="drill">drills</option>
        </select>
        <select
          aria-label="Severity"
          data-testid="incident-severity"
          className={SELECT}
          value={filter.severity ?? ""}
          onChange={(e) => setFilter({ ...filter, severity: (e.target.value || undefined) as Incident["severity"] | undefined })}
        >
          <option value="">any severity</option>
          <option value="page">page</option>
          <option value="warn">warn</option>
        </select>
        <input
          aria-label="Search incidents"
          data-testid="incident-search"
          placeholder="Search…"
          className={SELECT}
          value={filter.q ?? ""}
          onChange={(e) => setFilter({ ...filter, q: e.target.value || undefined })}
        />
      </div>
      {isError && <p className="text-sm text-degraded">Could not load incidents; retrying.</p>}
      <ol data-testid="incidents" className="flex flex-col divide-y divide-line rounded-lg border border-line bg-panel">
        {list.length === 0 && <li className="p-4 text-muted">No incident{filter.kind || filter.severity || filter.q ? " matches" : " yet"}.</li>}
        {list.map((i) => (
          <IncidentItem key={i.id} incident={i} now={now} present={present} />
        ))}
      </ol>
    </section>
  );
}
