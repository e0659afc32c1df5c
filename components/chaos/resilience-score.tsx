"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import type { DeploymentScore } from "@/lib/verification/claims-standing";
import type { ResilienceScore } from "@/lib/verification/resilience-score";
import { useApiPath } from "../live/use-deployment";
import { SectionTitle } from "../ui/card";

// recharts is ~120 kB: loaded after the page, so the Chaos page's first load stays the shell's.
const ScoreHistoryChart = dynamic(() => import("./score-history-chart").then((m) => m.ScoreHistoryChart), {
  ssr: false,
  loading: () => <div className="h-[170px]" />,
});

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
  const neverRun = data.overall.parts.length > 0 && data.overall.parts.every((p) => p.standing === "untested");
  return (
    <section data-testid="resilience-score">
      <SectionTitle right={<span className="text-sm text-muted">verdicts expire after {data.expireAfterDays} d</span>}>Resilience score</SectionTitle>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,24rem)_1fr]">
        <div className="flex flex-col gap-3">
          {/* Nothing run yet is not a failure: the 0 is true, but red would read as refuted claims. */}
          <p className={`text-5xl font-bold tabular-nums ${neverRun ? "text-muted" : tone(data.overall.score)}`} data-testid="score-overall">
            {shown(data.overall)}
          </p>
          <p className="text-sm text-muted">
            {data.overall.held} of {data.overall.weighed} claims held and fresh
            {neverRun ? ": no claim has been run yet (run a scenario, or schedule one)" : ""}
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
          <ScoreHistoryChart history={data.history} />
        </div>
      </div>
    </section>
  );
}
