"use client";

import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART, clockTick } from "./chart-theme";

export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
  dashed?: boolean;
  area?: boolean;
  step?: boolean;
}

export interface MetricChartProps {
  data: Record<string, number | boolean | null>[];
  series: SeriesSpec[];
  from: number;
  to: number;
  /** Formats a value with its unit, for the axis and the tooltip. */
  format: (v: number) => string;
  yDomain?: [number | "auto" | "dataMin", number | "auto" | "dataMax"];
  ticks?: number[];
  threshold?: { y: number; label: string };
  syncId?: string;
  height?: number;
}

/** One time-series chart: gaps where data is missing (never joined, never zero), values with units. */
export function MetricChart({ data, series, from, to, format, yDomain = [0, "auto"], ticks, threshold, syncId, height = 170 }: MetricChartProps) {
  const withSeconds = to - from <= 15 * 60_000;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} syncId={syncId} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
        <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[from, to]}
          tickFormatter={(v: number) => clockTick(v, withSeconds)}
          stroke={CHART.muted}
          fontSize={12}
          minTickGap={40}
        />
        <YAxis
          domain={ticks && ticks.length > 1 ? [0, ticks[ticks.length - 1]] : yDomain}
          ticks={ticks && ticks.length > 1 ? ticks : undefined}
          tickFormatter={(v: number) => format(v)}
          stroke={CHART.muted}
          fontSize={12}
          width={68}
          allowDecimals
        />
        <Tooltip
          isAnimationActive={false}
          contentStyle={{ background: CHART.panel, border: `1px solid ${CHART.grid}`, borderRadius: 6, color: CHART.text, fontSize: 13 }}
          labelFormatter={(v) => `${clockTick(Number(v), true)} UTC`}
          itemSorter={(item) => series.findIndex((s) => s.key === item.dataKey)}
          formatter={(v, name) => [v === null || v === undefined ? "no data" : format(Number(v)), name]}
        />
        {threshold && (
          <ReferenceLine
            y={threshold.y}
            stroke={CHART.warn}
            strokeDasharray="6 4"
            label={{ value: threshold.label, position: "insideTopRight", fill: CHART.warn, fontSize: 12 }}
          />
        )}
        {series.map((s) =>
          s.area ? (
            <Area
              key={s.key}
              dataKey={s.key}
              name={s.name}
              type="linear"
              stroke={s.color}
              fill={s.color}
              fillOpacity={0.15}
              strokeWidth={2}
              connectNulls={false}
              isAnimationActive={false}
              dot={false}
            />
          ) : (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              type={s.step ? "stepAfter" : "linear"}
              stroke={s.color}
              strokeWidth={s.dashed ? 1.5 : 2}
              strokeDasharray={s.dashed ? "5 4" : undefined}
              connectNulls={false}
              isAnimationActive={false}
              dot={false}
            />
          ),
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
