"use client";

import type { FailoverProgress, FailoverRecord } from "@/lib/sentinel/types";
import type { NodeSnapshot } from "@/lib/snapshot/types";
import { formatDuration, formatTime } from "../ui/format";
import { FAILOVER_STAGES, formatMs, nodeLabel, stageMark, SUBSTEP_LABEL } from "./sentinel-format";

type StageState = "done" | "current" | "pending" | "skipped";

const DOT: Record<StageState, string> = {
  done: "bg-ok text-bg",
  current: "bg-degraded text-bg animate-pulse",
  pending: "bg-panel-2 text-muted ring-1 ring-line",
  skipped: "bg-panel-2 text-muted ring-1 ring-line",
};

interface Props {
  progress: FailoverProgress | undefined;
  last: FailoverRecord | undefined;
  nodes: NodeSnapshot[];
  present: boolean;
  now: number;
}

/** The failover in progress, stage by stage; when none runs, the last one as it went. */
export function FailoverStepper({ progress, last, nodes, present, now }: Props) {
  const active = !!progress?.active;
  const steps = active ? progress!.steps : (last?.steps ?? []);
  const kind = active ? progress!.kind : last?.kind;
  const lostAt = active ? progress!.masterLostAt : (last?.masterLostAt ?? null);
  // Stage times count from the moment the console lost the master when it did: that is when tenants felt it.
  const startedAt = lostAt ?? (active ? progress!.startedAt : (last?.startedAt ?? null));
  const leader = active ? progress!.leader : last?.leader;
  const t0 = startedAt ? Date.parse(startedAt) : null;
  const done = FAILOVER_STAGES.map((s) => stageMark(steps, s.steps).done);
  const currentIdx = active ? done.lastIndexOf(true) + 1 : -1;

  return (
    <section
      aria-label="Failover progress"
      data-testid="failover-progress"
      data-active={active}
      data-step={progress?.step ?? ""}
      className={`rounded-lg border-2 bg-panel p-4 ${active ? "border-degraded/70" : "border-line"}`}
    >
      <header className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">{active ? <span className="text-degraded">Failover in progress</span> : last ? "Last failover" : "Failover"}</h2>
        <p className="text-sm text-muted">
          {active && t0 !== null && <>running for {formatMs(Math.max(0, now - t0))} · </>}
          {!active && last && (
            <>
              {formatTime(last.startedAt)} · {formatDuration((now - Date.parse(last.endedAt)) / 1000)} ago · {last.outcome} in {formatMs(last.durationMs)}{" "}
              ·{" "}
            </>
          )}
          {kind && <>{kind === "manual" ? "manual (SENTINEL FAILOVER)" : kind} · </>}
          {(active || last) && (
            <>
              leader{" "}
              <span className="font-semibold text-text" data-testid="failover-leader">
                {leader ?? "not elected yet"}
              </span>
            </>
          )}
        </p>
      </header>
      {!active && !last ? (
        <p className="text-muted">No failover seen. The stages light up live as the sentinels announce them.</p>
      ) : (
        <ol className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
          {FAILOVER_STAGES.map((stage, i) => {
            const { mark, done: stageDone } = stageMark(steps, stage.steps);
            const state: StageState = stageDone
              ? "done"
              : kind === "manual" && stage.automaticOnly
                ? "skipped"
                : i === currentIdx || (active && mark)
                  ? "current"
                  : "pending";
            return (
              <li key={stage.label} data-testid={`stage-${i}`} data-state={state} className="flex flex-col gap-1">
                <div className="flex items-center gap-2">
                  <span aria-hidden className={`inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-bold ${DOT[state]}`}>
                    {state === "done" ? "✓" : state === "skipped" ? "–" : i + 1}
                  </span>
                  <span className={`text-sm font-semibold ${state === "pending" || state === "skipped" ? "text-muted" : ""}`}>{stage.label}</span>
                </div>
                <div className="pl-8 text-xs text-muted">
                  {mark && t0 !== null && <div className="font-mono text-text">+{formatMs(Date.parse(mark.at) - t0)}</div>}
                  {mark && (
                    <div>
                      {!stageDone && SUBSTEP_LABEL[mark.step] ? `${SUBSTEP_LABEL[mark.step]} · ` : ""}by{" "}
                      {mark.by.length > 1 ? `${mark.by.length} sentinels` : mark.by[0]}
                    </div>
                  )}
                  {mark?.detail && (mark.step === "promoted" || mark.step === "selected-replica") && <div>{nodeLabel(mark.detail, nodes, present)}</div>}
                  {mark?.detail && mark.step === "odown" && <div>{mark.detail}</div>}
                  {state === "skipped" && <div>skipped: manual failover</div>}
                  {state === "current" && !mark && <div className="text-degraded">waiting…</div>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {(active || last) && (
        <p className="mt-3 text-xs text-muted">
          Times from {lostAt ? "the moment the console lost the master (Sentinel waits down-after-milliseconds before sdown)" : "the first sentinel event"}, on
          the console&apos;s clock.
        </p>
      )}
      {active && progress!.aborts.length > 0 && <p className="mt-3 text-sm text-degraded">Aborted attempts: {progress!.aborts.join("; ")}</p>}
    </section>
  );
}
