"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { HistoryResponse } from "@/lib/history/types";
import type { KeyspaceReport } from "@/lib/keyspace/types";
import { queryKeys } from "@/lib/query/keys";
import { useApiPath } from "../live/use-deployment";

async function getJson<T>(url: string, what: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${what} answered ${res.status}`);
  return res.json();
}

/** The last `minutes` of sampled metrics, refreshed every 5 s; the previous range stays on screen while a new one loads. */
export function useHistory(minutes: number) {
  const api = useApiPath();
  return useQuery({
    queryKey: queryKeys.history(minutes),
    queryFn: () => getJson<HistoryResponse>(api(`/api/history?minutes=${minutes}`), "history"),
    refetchInterval: 5000,
    placeholderData: keepPreviousData,
  });
}

/** Memory by key class; in presentation mode the server leaves key names out. */
export function useKeyspace(present: boolean) {
  const api = useApiPath();
  return useQuery({
    queryKey: queryKeys.keyspace(present),
    queryFn: () => getJson<KeyspaceReport>(api(`/api/keyspace${present ? "?present=1" : ""}`), "keyspace"),
    refetchInterval: 10_000,
  });
}
