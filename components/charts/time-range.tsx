"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

export const TIME_RANGES = { "5m": 5, "15m": 15, "1h": 60 } as const;
/** Beyond the hour the console keeps in memory: offered only when Prometheus serves history. */
export const LONG_RANGES = { "3h": 180, "6h": 360, "24h": 1440 } as const;
export type TimeRange = keyof typeof TIME_RANGES | keyof typeof LONG_RANGES;
const DEFAULT_RANGE: TimeRange = "15m";

function rangesFor(long: boolean): Record<string, number> {
  return long ? { ...TIME_RANGES, ...LONG_RANGES } : TIME_RANGES;
}

/** The chart range, kept in the URL (`?range=5m`) so a link shows what the sender saw; `long` allows the Prometheus ranges. */
export function useTimeRange(long = false): { range: TimeRange; minutes: number; setRange: (r: TimeRange) => void } {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.get("range");
  const ranges = rangesFor(long);
  const range: TimeRange = raw && raw in ranges ? (raw as TimeRange) : DEFAULT_RANGE;
  const setRange = (r: TimeRange) => {
    const next = new URLSearchParams(params.toString());
    next.set("range", r);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  return { range, minutes: ranges[range], setRange };
}

export function TimeRangePicker({ range, onChange, long = false }: { range: TimeRange; onChange: (r: TimeRange) => void; long?: boolean }) {
  return (
    <div role="group" aria-label="Time range" className="inline-flex rounded-md ring-1 ring-line">
      {(Object.keys(rangesFor(long)) as TimeRange[]).map((r) => (
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
