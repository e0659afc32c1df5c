"use client";

import { formatMetric } from "@/lib/chaos/format";
import type { ChaosRun, CheckVerdict, RunStep } from "@/lib/chaos/types";
import { tally, tallyLine, verdictOf } from "@/lib/chaos/verdict";
import { formatTime } from "../ui/format";

const STEP_ICON: Record<RunStep["state"], string> = { pending: "○", running: "◐", done: "●", failed: "✖", skipped: "–" };
const STEP_TONE: Record<RunStep["state"], string> = {
  pending: "text-muted",
  running: "text-accent",
  done: "text-ok",
  failed: "text-unavailable",
  skipped: "text-muted",
};
const STATE_TONE: Record<ChaosRun["state"], string> = {
  running: "bg-accent/20 text-accent ring-accent/40",
  restoring: "bg-degraded/15 text-degraded ring-degraded/40",
  passed: "bg-ok/15 text-ok ring-ok/40",
  failed: "bg-unavailable/20 text-unavailable ring-unavailable/50",
  aborted: "bg-degraded/15 text-degraded ring-degraded/40",
};
const VERDICT_MARK: Record<CheckVerdict, { icon: string; tone: string; label: string }> = {
  held: { icon: "✓", tone: "text-ok", label: "held" },
  refuted: { icon: "✖", tone: "text-unavailable", label: "refuted" },
  "not-exercised": { icon: "○", tone: "text-degraded", label: "not exercised" },
};

/** A run: progress, live step list, verdicts (expect / observed / ok), measurements, exports. */
/** A run as GET /api/chaos/runs/:id gives it: with who started and who aborted it (from the audit trail). */
export type RunWithActors = ChaosRun & { startedBy?: string | null; abortedByActor?: string | null };

export function RunPanel({ run, onHalt, halting }: { run: RunWithActors; onHalt?: () => void; halting?: boolean }) {
  const finished = run.steps.filter((s) => s.state !== "pending" && s.state !== "running").length;
  const progress = Math.round((finished / Math.max(1, run.steps.length)) * 100);
  const counts = tally(run.checks);
  // A cluster run's checks speak of one shard or of the others: a column says which, and the layer.
  const scoped = run.checks.some((c) => c.shard);
  return (
    <section
      data-testid="run-panel"
      data-state={run.state}
      data-ended={!!run.endedAt}
      className="flex flex-col gap-4 rounded-lg border-2 border-line bg-panel p-4"
    >
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold">
            Run <span className="font-mono">{run.scenario}</span>{" "}
            <span className="text-sm font-normal text-muted">
              {Object.entries(run.params)
                .map(([k, v]) => `${k}=${v}`)
                .join(" ")}
            </span>
          </h2>
          <p className="text-sm text-muted">
            started {formatTime(run.startedAt)} from {run.origin}
            {run.startedBy && ` by ${run.startedBy}`}
            {run.endedAt && ` · ended ${formatTime(run.endedAt)}`}
            {run.abortedByActor && ` · aborted by ${run.abortedByActor}`}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <span data-testid="run-state" className={`rounded-md px-3 py-1 text-base font-bold uppercase ring-1 ${STATE_TONE[run.state]}`}>
            {run.state === "restoring" ? "restoring…" : run.state}
          </span>
          {onHalt && run.state === "running" && (
            <button
              type="button"
              onClick={onHalt}
              disabled={halting}
              className="rounded-md bg-unavailable px-4 py-1.5 font-bold text-white disabled:opacity-60"
            >
              {halting ? "Halting…" : "Halt"}
            </button>
          )}
        </div>
      </header>

      <div aria-label="progress" className="h-2 rounded bg-panel-2">
        <div className="h-2 rounded bg-accent transition-all" style={{ width: `${progress}%` }} />
      </div>

      <ol data-testid="run-steps" className="flex flex-col gap-1">
        {run.steps.map((s, i) => (
          <li key={`${s.name}-${i}`} data-state={s.state} className="flex gap-2 text-sm">
            <span aria-hidden className={`w-4 ${STEP_TONE[s.state]}`}>
              {STEP_ICON[s.state]}
            </span>
            <span>
              <span className={s.state === "running" ? "font-semibold" : ""}>{s.name}</span>
              {s.detail && <span className="text-muted"> — {s.detail}</span>}
            </span>
          </li>
        ))}
      </ol>

      {run.error && <p className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">{run.error}</p>}
      {run.abortedBy && (
        <p data-testid="aborted-by" className="rounded-md bg-degraded/15 px-3 py-2 text-sm text-degraded">
          Stopped by guardrail <span className="font-semibold">{run.abortedBy.guardrail}</span> at {formatTime(run.abortedBy.at)} (holding since{" "}
          {formatTime(run.abortedBy.since)}): {run.abortedBy.saw}. The stack was restored; a guardrail&apos;s stop is not a refuted claim.
        </p>
      )}
      {run.postflight && !run.postflight.healthy && (
        <p data-testid="postflight-unhealthy" className="rounded-md bg-unavailable/25 px-3 py-2 font-semibold text-unavailable ring-1 ring-unavailable">
          The stack is NOT healthy after this run: {run.postflight.problems.join("; ")}. Reset it with `npm run stack -- reset`.
        </p>
      )}

      {run.checks.length > 0 && (
        <div>
          <h3 className="mb-1 font-semibold">
            Verdicts: <span data-testid="run-tally">{tallyLine(counts)}</span>
          </h3>
          {run.state === "failed" && counts.notExercised > 0 && counts.refuted === 0 && !run.error && (
            <p className="mb-1 text-sm text-degraded">Not passed: a check that was not exercised shows nothing about the claim.</p>
          )}
          <table data-testid="run-checks" className="w-full text-left text-sm">
            <thead className="text-muted">
              <tr>
                <th className="w-28 py-1">Verdict</th>
                {scoped && <th className="w-32 py-1">Where</th>}
                <th className="py-1">Expected (guide)</th>
                <th className="py-1">Observed</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {run.checks.map((c, i) => {
                const v = verdictOf(c);
                const mark = VERDICT_MARK[v];
                return (
                  <tr key={i} data-ok={v === "held"} data-verdict={v} data-claim={c.claim ?? ""} data-layer={c.layer ?? ""} data-shard={c.shard ?? ""}>
                    <td className={`py-1.5 ${mark.tone}`}>
                      <span aria-hidden className="text-lg">
                        {mark.icon}
                      </span>{" "}
                      <span className="text-xs font-semibold uppercase">{mark.label}</span>
                    </td>
                    {scoped && (
                      <td data-testid="check-scope" className="py-1.5 pr-3 align-top">
                        {c.shard && (
                          <span className={`block font-mono text-xs font-semibold ${c.shard === "other shards" ? "text-muted" : "text-accent"}`}>
                            {c.shard}
                          </span>
                        )}
                        {c.layer && <span className="block font-mono text-xs">{c.layer}</span>}
                      </td>
                    )}
                    <td className="py-1.5 pr-3">{c.expect}</td>
                    <td className="py-1.5 font-mono text-[13px]">
                      {c.observed}
                      {c.reason && <span className="block font-sans text-degraded">not exercised: {c.reason}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {Object.keys(run.metrics).length > 0 && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm md:grid-cols-4">
          {Object.entries(run.metrics).map(([k, v]) => (
            <div key={k} className="flex justify-between gap-2 border-b border-line py-0.5">
              <dt className="text-muted">{k}</dt>
              <dd className="font-mono">{formatMetric(k, v)}</dd>
            </div>
          ))}
        </dl>
      )}

      {run.endedAt && (
        <div className="flex gap-2">
          <a
            href={`/api/chaos/runs/${run.id}/report?format=markdown`}
            download
            className="rounded-md bg-panel-2 px-3 py-1.5 text-sm font-semibold ring-1 ring-line hover:ring-accent"
          >
            Export Markdown
          </a>
          <a
            href={`/api/chaos/runs/${run.id}/report?format=json`}
            download
            className="rounded-md bg-panel-2 px-3 py-1.5 text-sm font-semibold ring-1 ring-line hover:ring-accent"
          >
            Export JSON
          </a>
        </div>
      )}
    </section>
  );
}
