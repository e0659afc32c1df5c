"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

export const TIME_RANGES = { "5m": 5, "15m": 15, "1h": 60 } as const;
export type TimeRange = keyof typeof TIME_RANGES;
const DEFAULT_RANGE: TimeRange = "15m";

/** The chart range, kept in the URL (`?range=5m`) so a link shows what the sender saw. */
export function useTimeRange(): { range: TimeRange; minutes: number; setRange: (r: TimeRange) => void } {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.get("range");
  const range: TimeRange = raw && raw in TIME_RANGES ? (raw as TimeRange) : DEFAULT_RANGE;
  const setRange = (r: TimeRange) => {
    const next = new URLSearchParams(params.toString());
    next.set("range", r);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  return { range, minutes: TIME_RANGES[range], setRange };
}

export function TimeRangePicker({ range, onChange }: { range: TimeRange; onChange: (r: TimeRange) => void }) {
  return (
    <div role="group" aria-label="Time range" className="inline-flex rounded-md ring-1 ring-line">
      {(Object.keys(TIME_RANGES) as TimeRange[]).map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={r === range}
          data-testid={`range-${r}`}
          onClick={() => onChange(r)}
          className={`px-3 py-1.5 text-sm font-semibold first:rounded-l-md last:rounded-r-md ${r === range ? "bg-accent/20 text-accent" : "text-muted hover:bg-panel-2 hover:text-text"}`}
        >
          {r}
        </button>
      ))}
    </div>
  );
}
