"use client";

import { useQuery } from "@tanstack/react-query";
import type { IncidentFilter } from "@/lib/incidents/filter";
import type { Incident } from "@/lib/incidents/types";
import { useApiPath } from "../live/use-deployment";

export interface IncidentList {
  open: string | null;
  incidents: Incident[];
  /** How long everything must stay ok before the open incident closes (absent in the page's first HTML). */
  settleMs?: number;
}

async function fetchIncidents(url: string): Promise<IncidentList> {
  const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`incidents answered ${res.status}`);
  return res.json();
}

/** The incident list (filtered on the server), refreshed every few seconds: incidents change with the ticks. */
export function useIncidents(filter: IncidentFilter, initial?: IncidentList) {
  const api = useApiPath();
  const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
  const unfiltered = !params;
  return useQuery({
    queryKey: ["incidents", params],
    queryFn: () => fetchIncidents(api(`/api/incidents${params ? `?${params}` : ""}`)),
    initialData: unfiltered ? initial : undefined,
    refetchInterval: 3000,
  });
}
