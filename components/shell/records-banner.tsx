"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { queryKeys } from "@/lib/query/keys";
import type { Snapshot } from "@/lib/snapshot/types";
import { formatTime } from "../ui/format";

/**
 * On every page while the store does not take records: the console still watches and serves,
 * but what it sees is held in memory (bounded) and chaos is refused. Reads the snapshot the page
 * already streams (no request, no query of its own: the page's useSnapshot owns it); `initial`
 * is the server's answer at render.
 */
export function RecordsBanner({ initial }: { initial: Snapshot["records"] | null }) {
  const client = useQueryClient();
  const streamed = useSyncExternalStore(
    (onChange) => client.getQueryCache().subscribe(onChange),
    () => client.getQueryData<Snapshot>(queryKeys.snapshot)?.records,
    () => undefined,
  );
  const records = streamed ?? initial;
  if (!records || records.saving) return null;
  return (
    <div role="alert" data-testid="records-banner" className="border-b border-unavailable/40 bg-unavailable/15 px-6 py-2 text-sm text-unavailable">
      <div className="mx-auto max-w-7xl">
        records are not being saved: {records.problem}
        {records.since ? ` (since ${formatTime(records.since)})` : ""}. The console keeps watching; what it records is held in memory and written when the store
        is back{records.dropped ? ` (${records.dropped} dropped: the buffer was full)` : ""}. Chaos runs are refused meanwhile.
      </div>
    </div>
  );
}
