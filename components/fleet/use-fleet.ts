"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { FleetPayload } from "@/lib/fleet/fleet-row";
import { queryKeys } from "@/lib/query/keys";
import type { StreamState } from "../live/use-snapshot";

async function fetchFleet(): Promise<FleetPayload> {
  const res = await fetch("/api/fleet", { cache: "no-store", signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`fleet answered ${res.status}`);
  return res.json();
}

/** Every deployment's row over one stream (not one per deployment), polled while the stream is down. */
export function useFleet(initial: FleetPayload) {
  const client = useQueryClient();
  const [stream, setStream] = useState<StreamState>("connecting");
  useEffect(() => {
    const source = new EventSource("/api/fleet/stream");
    source.onopen = () => setStream("live");
    source.onerror = () => setStream("polling");
    source.addEventListener("fleet", (e) => {
      setStream("live");
      client.setQueryData(queryKeys.fleet, JSON.parse((e as MessageEvent).data) as FleetPayload);
    });
    return () => source.close();
  }, [client]);
  const query = useQuery({
    queryKey: queryKeys.fleet,
    queryFn: fetchFleet,
    initialData: initial,
    refetchInterval: stream === "live" ? false : 2000,
    staleTime: Infinity,
  });
  return { fleet: query.data, stream };
}
