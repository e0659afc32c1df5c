"use client";

import type { HistoryResponse } from "@/lib/history/types";
import type { NodeSeriesPoint } from "@/lib/history/series";
import { MetricChart } from "./metric-chart";
import { chartWindow, NODE_METRICS, type NodeMetric } from "./node-metrics";

export interface ChartNode {
  id: string;
  role: string;
  up: boolean;
}

type Row = NodeSeriesPoint & { alertMemory: number | null };

function withAlertLine(points: NodeSeriesPoint[], ratio: number): Row[] {
  return points.map((p) => ({ ...p, alertMemory: p.maxmemory ? p.maxmemory * ratio : null }));
}

function latest(rows: Row[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = (rows[i] as unknown as Record<string, number | null>)[key];
    if (typeof v === "number") return v;
  }
  return null;
}

function maxOf(rows: Row[], keys: string[]): number {
  let max = 0;
  for (const r of rows)
    for (const k of keys) {
      const v = (r as unknown as Record<string, number | null>)[k];
      if (typeof v === "number" && v > max) max = v;
    }
  return max;
}

function Legend({ metric }: { metric: NodeMetric }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-muted" aria-label="Legend">
      {metric.series.map((s) => (
        <li key={s.key} className="flex items-center gap-1.5">
          <svg width="22" height="8" aria-hidden>
            <line x1="1" y1="4" x2="21" y2="4" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dashed ? "5 3" : undefined} />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function NodePanel({
  metric,
  node,
  rows,
  history,
  span,
}: {
  metric: NodeMetric;
  node: ChartNode;
  rows: Row[];
  history: HistoryResponse;
  span: { from: number; to: number };
}) {
  const { from, to } = span;
  const now = metric.series.map((s) => ({ s, v: latest(rows, s.key) })).filter((x) => x.v !== null && x.s.key !== "alertMemory");
  return (
    <div data-testid={`chart-${metric.id}-${node.id}`} className="rounded-md border border-line bg-bg/40 p-3">
      <div className="mb-1 flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-semibold">
          {node.id} <span className={`font-normal ${node.up ? "text-muted" : "text-unavailable"}`}>{node.up ? node.role : `down (${node.role})`}</span>
        </span>
        <span className="text-muted">
          {now.length
            ? now.map(({ s, v }) => `${s.name} ${metric.format(v!)}`).join(" · ")
            : metric.id === "hit-ratio"
              ? "no lookups in range"
              : "no data in range"}
        </span>
      </div>
      <MetricChart
        data={rows as unknown as Record<string, number | boolean | null>[]}
        series={metric.series}
        from={from}
        to={to}
        format={metric.format}
        yDomain={metric.yDomain}
        ticks={metric.ticks?.(
          maxOf(
            rows,
            metric.series.map((s) => s.key),
          ),
        )}
        threshold={metric.threshold?.(history.thresholds)}
        syncId="memory-page"
      />
    </div>
  );
}

/** Every metric per node, metrics as rows and nodes as columns; hover syncs across charts. */
export default function NodeCharts({ history, nodes }: { history: HistoryResponse; nodes: ChartNode[] }) {
  const rowsByNode = new Map(nodes.map((n) => [n.id, withAlertLine(history.nodes[n.id] ?? [], history.thresholds.memoryUsedRatio)]));
  const span = chartWindow(history);
  return (
    <div className="flex flex-col gap-5">
      {span.clipped && (
        <p data-testid="history-clipped" className="text-sm text-muted">
          History starts when the console started ({new Date(span.from).toISOString().slice(11, 19)} UTC): it is kept in memory, up to 60 minutes.
        </p>
      )}
      {NODE_METRICS.map((metric) => (
        <section key={metric.id} aria-label={metric.title} className="rounded-lg border border-line bg-panel p-4">
          <header className="mb-3 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <h3 className="text-base font-semibold">{metric.title}</h3>
            {metric.thresholdText && (
              <span className="rounded bg-degraded/15 px-2 py-0.5 text-sm text-degraded">{metric.thresholdText(history.thresholds)}</span>
            )}
            <p className="w-full text-sm text-muted">{metric.hint}</p>
            <Legend metric={metric} />
          </header>
          <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
            {nodes.map((n) => (
              <NodePanel key={n.id} metric={metric} node={n} rows={rowsByNode.get(n.id) ?? []} history={history} span={span} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
