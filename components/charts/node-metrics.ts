/** What the Memory page charts per node: the series, their units and the alert line each rule uses. */
import type { HistoryResponse } from "@/lib/history/types";
import { formatBytes } from "../ui/format";
import { CHART } from "./chart-theme";
import type { MetricChartProps, SeriesSpec } from "./metric-chart";

type Thresholds = HistoryResponse["thresholds"];

export interface NodeMetric {
  id: string;
  title: string;
  /** One line: what a bad shape means. */
  hint: string;
  series: SeriesSpec[];
  format: (v: number) => string;
  yDomain?: MetricChartProps["yDomain"];
  /** Axis ticks for a data maximum, where decimal ticks would read badly (bytes in MB). */
  ticks?: (max: number) => number[];
  threshold?: (t: Thresholds) => { y: number; label: string };
  /** The threshold in words for the header (also when the line is off-scale). */
  thresholdText?: (t: Thresholds) => string;
}

/** 0 and up to 5 more ticks at a power-of-two number of KB/MB/GB, covering `max`. */
export function byteTicks(max: number): number[] {
  let step = 1024;
  while (step * 5 < max) step *= 2;
  const ticks = [0];
  while (ticks[ticks.length - 1] < max) ticks.push(ticks.length * step);
  return ticks;
}

const rate = (v: number) => `${v >= 10 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)} /s`;
const percent = (v: number) => `${(v * 100).toFixed(0)} %`;
const seconds = (v: number) => (v >= 1 ? `${v.toFixed(2)} s` : `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)} ms`);
const count = (v: number) => v.toFixed(0);

export const NODE_METRICS: NodeMetric[] = [
  {
    id: "memory",
    title: "Memory used vs maxmemory",
    hint: "Past maxmemory, allkeys-lru evicts — any key, sessions included.",
    series: [
      { key: "usedMemory", name: "used_memory", color: CHART.accent, area: true },
      { key: "maxmemory", name: "maxmemory", color: CHART.muted, dashed: true },
      { key: "alertMemory", name: "alert line (threshold × maxmemory)", color: CHART.warn, dashed: true },
    ],
    format: formatBytes,
    ticks: byteTicks,
    thresholdText: (t) => `alert above ${percent(t.memoryUsedRatio)} of maxmemory`,
  },
  {
    id: "evictions",
    title: "Evicted and expired keys per second",
    hint: "Evictions mean memory pressure; expiries are TTLs doing their job.",
    series: [
      { key: "evictedPerSec", name: "evicted", color: CHART.bad },
      { key: "expiredPerSec", name: "expired", color: CHART.violet },
    ],
    format: rate,
  },
  {
    id: "hit-ratio",
    title: "Keyspace hit and miss ratio",
    hint: "Over ≥ 10 s; a gap means no lookups. Misses above the line: cache thrashing.",
    series: [
      { key: "hitRatio", name: "hit ratio", color: CHART.ok },
      { key: "missRatio", name: "miss ratio", color: CHART.warn },
    ],
    format: percent,
    yDomain: [0, 1],
    threshold: (t) => ({ y: t.missRatio, label: `miss alert ${percent(t.missRatio)}` }),
    thresholdText: (t) => `investigate above ${percent(t.missRatio)} misses`,
  },
  {
    id: "clients",
    title: "Connected clients",
    hint: "Steady growth without more traffic: a connection pool leak.",
    series: [{ key: "connectedClients", name: "clients", color: CHART.accent }],
    format: count,
    threshold: (t) => ({ y: t.connectedClients, label: `alert ${t.connectedClients}` }),
    thresholdText: (t) => `alert above ${t.connectedClients}`,
  },
  {
    id: "ops",
    title: "Operations per second",
    hint: "Load on the node (instantaneous_ops_per_sec).",
    series: [{ key: "opsPerSec", name: "ops", color: CHART.accent }],
    format: rate,
  },
  {
    id: "fork",
    title: "Latest fork duration",
    hint: "RDB/AOF forks block the server; slow forks grow with memory.",
    series: [{ key: "forkSeconds", name: "latest fork", color: CHART.accent, step: true }],
    format: seconds,
    threshold: (t) => ({ y: t.forkSeconds, label: `alert ${t.forkSeconds} s` }),
    thresholdText: (t) => `alert above ${t.forkSeconds} s`,
  },
  {
    id: "fragmentation",
    title: "Memory fragmentation ratio",
    hint: "RSS / used_memory: well above 1.5 wastes memory; below 1 means swapping.",
    series: [{ key: "fragmentationRatio", name: "fragmentation", color: CHART.accent }],
    format: (v) => `${v.toFixed(2)}×`,
    yDomain: [0, "auto"],
  },
];

/** The first sampled instant in the response, or null without samples. */
function firstSample(history: HistoryResponse): number | null {
  let first: number | null = null;
  for (const points of Object.values(history.nodes)) if (points.length && (first === null || points[0].t < first)) first = points[0].t;
  return first;
}

/**
 * The x axis: the chosen range, but starting when the console began watching if that was later
 * (history lives in memory), and never narrower than a minute.
 */
export function chartWindow(history: HistoryResponse): { from: number; to: number; clipped: boolean } {
  const from = Date.parse(history.from);
  const to = Date.parse(history.to);
  const first = firstSample(history);
  const start = Math.min(Math.max(from, first ?? from), to - 60_000);
  return { from: Math.max(from, start), to, clipped: start > from };
}
