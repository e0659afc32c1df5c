/** An incident: what opened it, what tenants felt per layer and for how long, its key moments. Client-safe. */
import type { LayerId, LayerStatus } from "../contract/failure-contract";
import type { FailoverPhase } from "../sentinel/types";
import type { TimelineEvent, TimelineKind, TimelineSeverity } from "../timeline/types";

/** One layer over the incident: milliseconds spent in each non-ok status (from the recorded snapshots). */
export interface LayerImpact {
  layer: LayerId;
  worst: LayerStatus;
  /** Time in each status other than ok, in ms. */
  ms: Partial<Record<Exclude<LayerStatus, "ok">, number>>;
  /** Time the layer broke its failure contract (a violation past the grace period), in ms. */
  violationMs: number;
  firstNotOkAt: string | null;
  backOkAt: string | null;
}

export interface KeyMoment {
  at: string;
  title: string;
  severity: TimelineSeverity;
  /** The measured phases of a failover (+switch-master), when Sentinel's history has them. */
  phases?: FailoverPhase[];
  failoverMs?: number;
}

export interface AlertMoment {
  at: string;
  rule: string;
  state: "fired" | "resolved";
  severity: TimelineSeverity;
  summary?: string;
}

/** Everything else, folded: one line per step however many sentinels reported it. */
export interface DetailLine {
  at: string;
  kind: TimelineKind;
  title: string;
  count: number;
  /** The Sentinel event type the line folds (+slave-reconf-sent …). */
  key?: string;
}

export interface Incident {
  id: string;
  /** A chaos run's incident: a drill, not an outage. */
  drill: boolean;
  /** The chaos run's id, for a drill. */
  chaosRun: string | null;
  title: string;
  startedAt: string;
  /** How it was noticed: the first event or state that opened it. */
  noticedBy: { kind: TimelineKind; title: string };
  severity: TimelineSeverity;
  state: "open" | "closed";
  /**
   * When everything was ok again: while open, the settle period running since then (null again
   * once something is wrong); once closed, the start of the settle period that closed it.
   */
  recoveredAt: string | null;
  closedAt: string | null;
  /** startedAt to recoveredAt, in ms (null while open). */
  durationMs: number | null;
  layers: LayerImpact[];
  moments: KeyMoment[];
  alerts: AlertMoment[];
  details: DetailLine[];
  /** Timeline event ids from first to last, for the raw view. */
  eventIds: [number, number];
}

/** A snapshot reduced to what incidents read from it. */
export interface StateSample {
  at: string;
  layers: { id: LayerId; status: LayerStatus; violation: boolean }[];
  /** Rules firing, with their severity. */
  firing: { rule: string; severity: TimelineSeverity }[];
  redisAvailable: boolean | null;
  nodesDown: string[];
  failovers: { id: string; endedAt: string; newMaster: string | null; durationMs: number; phases: FailoverPhase[] }[];
}

export type IncidentInput = { type: "event"; event: TimelineEvent } | { type: "state"; state: StateSample };
