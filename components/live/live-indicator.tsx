"use client";

import { isStale } from "@/lib/snapshot/rules";
import type { StreamState } from "./use-snapshot";
import { formatDuration, formatTime } from "../ui/format";

/** Says how fresh the screen is: live, polling, or stale since when (older than 3 ticks). */
export function LiveIndicator({ stream, at, ageSeconds, tickMs }: { stream: StreamState; at?: string; ageSeconds: number | null; tickMs: number }) {
  const stale = isStale(ageSeconds, tickMs);
  const label = stale
    ? `stale since ${at ? formatTime(at) : "?"} (${formatDuration(ageSeconds ?? 0)} ago)`
    : stream === "live"
      ? "live"
      : stream === "polling"
        ? "stream lost: polling"
        : "connecting";
  const tone = stale
    ? "bg-unavailable/20 text-unavailable ring-unavailable/50"
    : stream === "live"
      ? "bg-ok/15 text-ok ring-ok/40"
      : "bg-degraded/15 text-degraded ring-degraded/40";
  return (
    <span data-testid="live-indicator" data-stale={stale} data-stream={stream} className={`rounded-md px-2 py-1 text-sm font-semibold ring-1 ${tone}`}>
      {label}
    </span>
  );
}
