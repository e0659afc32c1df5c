/** One failover as it is being folded, and how it becomes a record. Pure. */
import { failoverDuration, failoverPhases } from "./failover-phases";
import { FAILOVER_STEPS, type FailoverKind, type FailoverOutcome, type FailoverRecord, type FailoverStepId, type FailoverStepMark } from "./types";

export interface Mark {
  at: number;
  lastAt: number;
  by: Set<string>;
  detail?: string;
}

export interface Run {
  id: string;
  kind: FailoverKind;
  oldMaster: string | null;
  newMaster: string | null;
  leader: string | null;
  epoch: number | null;
  lastEventAt: number;
  marks: Map<FailoverStepId, Mark>;
  /** Sentinels that currently report the old master sdown. */
  sdownBy: Set<string>;
  aborts: string[];
  reconfigured: string[];
  timedOut: boolean;
  masterLostAt: number | null;
}

export const iso = (t: number) => new Date(t).toISOString();

/** The milestones reached, in Sentinel's order. */
export function stepsOf(run: Run): FailoverStepMark[] {
  return FAILOVER_STEPS.filter((s) => run.marks.has(s)).map((step) => {
    const m = run.marks.get(step)!;
    return { step, at: iso(m.at), by: [...m.by].sort(), ...(m.lastAt > m.at ? { lastAt: iso(m.lastAt) } : {}), ...(m.detail ? { detail: m.detail } : {}) };
  });
}

export interface RecordContext {
  masterName: string;
  nodeId: (addr: string | null) => string | null;
  /** The same run's earlier record, whose later amendments (the old master's return) carry over. */
  previous?: FailoverRecord;
}

/** The run as a history record, measured; a "recovered" run names no new master. */
export function toRecord(run: Run, outcome: FailoverOutcome, at: number, ctx: RecordContext): FailoverRecord {
  const steps = stepsOf(run);
  const lost = run.masterLostAt !== null ? iso(run.masterLostAt) : null;
  const span = failoverDuration(steps, lost);
  const recovered = outcome === "recovered";
  return {
    id: run.id,
    masterName: ctx.masterName,
    kind: run.kind,
    outcome,
    oldMaster: run.oldMaster,
    newMaster: recovered ? null : run.newMaster,
    oldMasterNode: ctx.nodeId(run.oldMaster),
    newMasterNode: recovered ? null : ctx.nodeId(run.newMaster),
    leader: run.leader,
    epoch: run.epoch,
    masterLostAt: lost,
    startedAt: span?.startedAt ?? iso(at),
    endedAt: span && !recovered ? span.endedAt : iso(at),
    durationMs: span ? (recovered ? at - Date.parse(span.startedAt) : span.ms) : 0,
    steps,
    phases: failoverPhases(steps, lost),
    aborts: [...run.aborts],
    oldMasterRejoinedAt: ctx.previous?.oldMasterRejoinedAt ?? null,
  };
}
