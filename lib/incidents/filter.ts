/** The incident list's filters (kind, severity, search), shared by the API and the Timeline page. Pure. */
import type { Incident } from "./types";

export const INCIDENT_KINDS = ["incident", "drill"] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface IncidentFilter {
  kind?: IncidentKind;
  severity?: Incident["severity"];
  q?: string;
}

function text(i: Incident): string {
  return [
    i.id,
    i.title,
    i.noticedBy.title,
    ...i.moments.map((m) => m.title),
    ...i.alerts.map((a) => a.rule),
    ...i.details.map((d) => d.title),
    ...i.layers.map((l) => l.layer),
  ]
    .join("\n")
    .toLowerCase();
}

export function filterIncidents(list: Incident[], f: IncidentFilter): Incident[] {
  const q = f.q?.trim().toLowerCase();
  return list.filter((i) => (!f.kind || (f.kind === "drill") === i.drill) && (!f.severity || i.severity === f.severity) && (!q || text(i).includes(q)));
}

/** Oldest first (as the fold keeps them) to the order lists show: the open one first, then newest first. */
export function newestFirst(oldestFirst: Incident[]): Incident[] {
  return [...oldestFirst].reverse().sort((a, b) => (a.state === b.state ? 0 : a.state === "open" ? -1 : 1));
}
