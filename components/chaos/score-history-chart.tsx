"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART } from "../charts/chart-theme";

/** The resilience score at the end of each of the last 90 days: a step line that falls when verdicts expire. */
export function ScoreHistoryChart({ history }: { history: { day: string; score: number | null }[] }) {
  return (
    <ResponsiveContainer width="100%" height={170}>
      <LineChart data={history} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
        <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" stroke={CHART.muted} fontSize={12} minTickGap={40} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis domain={[0, 100]} ticks={[0, 50, 100]} tickFormatter={(v: number) => `${v} %`} stroke={CHART.muted} fontSize={12} width={48} />
        <Tooltip
          isAnimationActive={false}
          contentStyle={{ background: CHART.panel, border: `1px solid ${CHART.grid}`, borderRadius: 6, color: CHART.text, fontSize: 13 }}
          formatter={(v) => [v === null || v === undefined ? "no claim weighed" : `${Number(v).toFixed(0)} %`, "score"]}
        />
        <Line type="stepAfter" dataKey="score" stroke={CHART.accent} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
