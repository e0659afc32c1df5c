"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { queryKeys } from "@/lib/query/keys";
import type { Snapshot } from "@/lib/snapshot/types";
import type { TimelineEvent } from "@/lib/timeline/types";
import { useApiPath } from "./use-deployment";

export type StreamState = "connecting" | "live" | "polling";

async function fetchSnapshot(url: string): Promise<Snapshot> {
  const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`snapshot answered ${res.status}`);
  return res.json();
}

/**
 * The live snapshot of the deployment on screen: pushed over SSE into the React Query cache;
 * when the stream drops, the query polls instead until the stream is back. `initial` is the
 * server-rendered first paint.
 */
export function useSnapshot(initial?: Snapshot) {
  const client = useQueryClient();
  const api = useApiPath();
  const [stream, setStream] = useState<StreamState>("connecting");

  useEffect(() => {
    const source = new EventSource(api("/api/stream"));
    source.onopen = () => setStream("live");
    source.onerror = () => setStream(source.readyState === EventSource.CLOSED ? "polling" : "polling");
    source.addEventListener("snapshot", (e) => {
      setStream("live");
      client.setQueryData(queryKeys.snapshot, JSON.parse((e as MessageEvent).data) as Snapshot);
    });
    source.addEventListener("timeline", (e) => {
      const event = JSON.parse((e as MessageEvent).data) as TimelineEvent;
      // In id order: an event followed from the store (a new lease holder's handover) may be older than the last shown.
      client.setQueryData<TimelineEvent[]>(queryKeys.timeline, (old) =>
        old && !old.some((x) => x.id === event.id) ? [...old, event].sort((a, b) => a.id - b.id) : old,
      );
    });
    return () => source.close();
  }, [client, api]);

  const query = useQuery({
    queryKey: queryKeys.snapshot,
    queryFn: () => fetchSnapshot(api("/api/snapshot")),
    initialData: initial,
    // Poll only while the stream is down; the stream is the normal path.
    refetchInterval: stream === "live" ? false : 2000,
    staleTime: Infinity,
  });
  return { snapshot: query.data, stream, error: query.error };
}

/** Seconds since the data was taken, re-rendering every second so "stale since" stays true. */
export function useAge(at: string | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return at ? Math.max(0, (now - Date.parse(at)) / 1000) : null;
}
