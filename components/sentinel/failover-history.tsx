"use client";

import type { FailoverPhase, FailoverRecord } from "@/lib/sentinel/types";
import type { NodeSnapshot } from "@/lib/snapshot/types";
import { formatTime } from "../ui/format";
import { formatMs, nodeLabel, PHASE_LABEL } from "./sentinel-format";

const PHASE_COLOR: Record<FailoverPhase["name"], string> = {
  "down-after": "bg-unavailable/70",
  detection: "bg-degraded/80",
  start: "bg-degraded/50",
  election: "bg-accent/80",
  promotion: "bg-accent/50",
  reconfiguration: "bg-ok/70",
  announce: "bg-ok/40",
};

const OUTCOME: Record<FailoverRecord["outcome"], string> = {
  completed: "text-ok",
  "timed-out": "text-degraded",
  recovered: "text-muted",
  incomplete: "text-degraded",
};

const phaseTotal = (phases: FailoverPhase[]) => phases.reduce((a, p) => a + p.ms, 0);

/** Where the time went: one bar per failover, one segment per phase; every bar on the same scale (`longestMs`). */
function PhaseBar({ phases, longestMs }: { phases: FailoverPhase[]; longestMs: number }) {
  const total = phaseTotal(phases);
  if (!total) return null;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex h-3 overflow-hidden rounded bg-panel-2" style={{ width: `${Math.max(4, (total / longestMs) * 100)}%` }} aria-hidden>
        {phases.map((p) => (
          <div key={p.name} className={PHASE_COLOR[p.name]} style={{ width: `${(p.ms / total) * 100}%` }} title={`${p.name}: ${formatMs(p.ms)}`} />
        ))}
      </div>
      <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted">
        {phases.map((p) => (
          <li key={p.name} data-phase={p.name}>
            <span aria-hidden className={`mr-1 inline-block h-2 w-2 rounded-sm ${PHASE_COLOR[p.name]}`} />
            {PHASE_LABEL[p.name]} <span className="font-mono text-text">{formatMs(p.ms)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FailoverHistory({ history, nodes, present }: { history: FailoverRecord[]; nodes: NodeSnapshot[]; present: boolean }) {
  const longestMs = Math.max(1, ...history.map((r) => phaseTotal(r.phases)));
  if (!history.length)
    return (
      <p className="rounded-lg border border-line bg-panel p-4 text-muted">
        No failover recorded yet. Kill the master or run SENTINEL FAILOVER in the sandbox to see one measured here.
      </p>
    );
  return (
    <ol data-testid="failover-history" className="flex flex-col divide-y divide-line rounded-lg border border-line bg-panel">
      {history.map((r) => (
        <li
          key={r.id}
          data-testid="failover-record"
          data-kind={r.kind}
          data-outcome={r.outcome}
          className="grid grid-cols-1 gap-3 px-4 py-3 md:grid-cols-[14rem_1fr]"
        >
          <div className="flex flex-col gap-0.5 text-sm">
            <time className="font-mono text-muted" dateTime={r.startedAt}>
              {formatTime(r.startedAt)}
            </time>
            <span>
              <span className="font-semibold">{r.kind === "manual" ? "Manual" : r.kind === "automatic" ? "Automatic" : "Failover"}</span>{" "}
              <span className={OUTCOME[r.outcome]}>{r.outcome}</span>
            </span>
            <span className="font-mono text-lg font-semibold" data-testid="failover-duration">
              {formatMs(r.durationMs)}
            </span>
          </div>
          <div className="flex flex-col gap-2">
            <p className="text-sm">
              {nodeLabel(r.oldMaster, nodes, present, r.oldMasterNode)} →{" "}
              {r.newMaster ? nodeLabel(r.newMaster, nodes, present, r.newMasterNode) : <span className="text-muted">master stayed</span>}
              <span className="text-muted">
                {" "}
                · leader {r.leader ?? "—"}
                {r.epoch !== null ? ` · epoch ${r.epoch}` : ""}
              </span>
            </p>
            <PhaseBar phases={r.phases} longestMs={longestMs} />
            <p className="text-xs text-muted">
              {r.masterLostAt
                ? "Measured from the console losing the master, to the last sentinel announcing the new one."
                : "Measured from the first sentinel event to the last sentinel announcing the new master."}
              {r.oldMasterRejoinedAt && <> Old master rejoined as a replica {formatMs(Date.parse(r.oldMasterRejoinedAt) - Date.parse(r.endedAt))} later.</>}
              {r.aborts.length > 0 && <> Aborted attempts: {r.aborts.join("; ")}.</>}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
