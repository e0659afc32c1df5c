"use client";

import { useQuery } from "@tanstack/react-query";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DeploymentScore } from "@/lib/verification/claims-standing";
import type { ResilienceScore } from "@/lib/verification/resilience-score";
import { CHART } from "../charts/chart-theme";
import { useApiPath } from "../live/use-deployment";
import { SectionTitle } from "../ui/card";

type ScoreAnswer = DeploymentScore & { deployment: string; expireAfterDays: number; history: { day: string; score: number | null }[] };

function useScore() {
  const api = useApiPath();
  return useQuery({
    queryKey: ["score"],
    queryFn: async (): Promise<ScoreAnswer> => {
      const res = await fetch(api("/api/score"), { cache: "no-store", signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`GET /api/score answered ${res.status}`);
      return res.json();
    },
    refetchInterval: 30_000,
  });
}

const tone = (score: number | null) => (score === null ? "text-muted" : score >= 80 ? "text-ok" : score >= 50 ? "text-degraded" : "text-unavailable");
const shown = (s: ResilienceScore) => (s.score === null ? "—" : `${s.score.toFixed(0)} %`);

/** The resilience score now, per layer, with its formula and 90 days of history: it decays when game days stop. */
export function ResilienceScoreCard() {
  const { data } = useScore();
  if (!data) return null;
  return (
    <section data-testid="resilience-score">
      <SectionTitle right={<span className="text-sm text-muted">verdicts expire after {data.expireAfterDays} d</span>}>Resilience score</SectionTitle>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,24rem)_1fr]">
        <div className="flex flex-col gap-3">
          <p className={`text-5xl font-bold tabular-nums ${tone(data.overall.score)}`} data-testid="score-overall">
            {shown(data.overall)}
          </p>
          <p className="text-sm text-muted">
            {data.overall.held} of {data.overall.weighed} claims held and fresh
          </p>
          <ul className="flex flex-wrap gap-2 text-sm">
            {Object.entries(data.layers).map(([layer, s]) => (
              <li key={layer} data-testid={`score-layer-${layer}`} className="rounded-md bg-panel-2 px-2 py-1 ring-1 ring-line">
                {layer} <span className={`font-semibold tabular-nums ${tone(s.score)}`}>{shown(s)}</span>
              </li>
            ))}
          </ul>
          <p className="text-xs text-muted">{data.formula}. Weights: claims.weights in the config (1 by default).</p>
        </div>
        <div className="min-w-0" aria-label="Resilience score, last 90 days">
          <ResponsiveContainer width="100%" height={170}>
            <LineChart data={data.history} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
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
        </div>
      </div>
    </section>
  );
}
