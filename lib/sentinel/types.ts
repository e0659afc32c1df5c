/**
 * Sentinel failover state as the snapshot carries it: live progress, measured history and the
 * replicas. Client-safe: no secrets, no server imports.
 */

/**
 * The milestones of a failover in the order Sentinel really emits them. Note that the leader
 * announces `+failover-end` before `+switch-master` (same millisecond on Redis 7.0).
 */
export const FAILOVER_STEPS = [
  "sdown",
  "odown",
  "try-failover",
  "elected-leader",
  "selected-replica",
  "promoted",
  "reconf-replicas",
  "failover-end",
  "switch-master",
] as const;
export type FailoverStepId = (typeof FAILOVER_STEPS)[number];

export interface FailoverStepMark {
  step: FailoverStepId;
  /** When the console first heard of it (ISO, the console's clock for every sentinel). */
  at: string;
  /** The sentinels that reported it. */
  by: string[];
  /** When the last of them reported it, if later than `at`. */
  lastAt?: string;
  /** E.g. the replica selected, the reconfigured replicas, the quorum reached. */
  detail?: string;
}

/** Automatic: the master went down (sdown/odown first). Manual: SENTINEL FAILOVER, no sdown. */
export type FailoverKind = "automatic" | "manual" | "unknown";

export interface FailoverProgress {
  active: boolean;
  kind: FailoverKind | null;
  /** The latest milestone reached. */
  step: FailoverStepId | null;
  /** The sentinel that won the election (`+elected-leader`). */
  leader: string | null;
  startedAt: string | null;
  steps: FailoverStepMark[];
  oldMaster: string | null;
  newMaster: string | null;
  epoch: number | null;
  /** Election attempts that failed, e.g. "-failover-abort-not-elected by sentinel-2". */
  aborts: string[];
  /** When the console saw the old master stop answering (before Sentinel's sdown), if it did. */
  masterLostAt: string | null;
}

/** One measured span between two milestones, named by what happened in it. */
export interface FailoverPhase {
  name: "down-after" | "detection" | "start" | "election" | "promotion" | "reconfiguration" | "announce";
  from: FailoverStepId | "unreachable";
  to: FailoverStepId;
  ms: number;
}

export type FailoverOutcome = "completed" | "timed-out" | "recovered" | "incomplete";

export interface FailoverRecord {
  id: string;
  masterName: string;
  kind: FailoverKind;
  outcome: FailoverOutcome;
  oldMaster: string | null;
  newMaster: string | null;
  /** Node ids, when the addresses are nodes the console knows. */
  oldMasterNode: string | null;
  newMasterNode: string | null;
  leader: string | null;
  epoch: number | null;
  /** When the console saw the old master stop answering, if before Sentinel's sdown. */
  masterLostAt: string | null;
  startedAt: string;
  endedAt: string;
  /** First milestone (or masterLostAt) to the last sentinel's `+switch-master`. */
  durationMs: number;
  steps: FailoverStepMark[];
  phases: FailoverPhase[];
  aborts: string[];
  /** When the old master was seen again as a replica of the new one. */
  oldMasterRejoinedAt: string | null;
}

/** A replica as Sentinel (or, when Sentinel is blind, the nodes' own INFO) reports it. */
export interface ReplicaView {
  id: string | null;
  addr: string;
  source: "sentinel" | "nodes";
  /** As Sentinel sees it (s_down, disconnected), or the node's own answer when Sentinel is blind. */
  up: boolean | null;
  /** The console's own connection to it answered this tick (null: not a node the console samples). */
  consoleReach: boolean | null;
  flags: string[];
  /** The role the instance itself reports; "master" on a replica means it is not converted yet. */
  roleReported: string | null;
  linkUp: boolean | null;
  linkDownSeconds: number | null;
  masterAddr: string | null;
  offset: number | null;
  /** Master offset minus replica offset, when both are known. */
  lagBytes: number | null;
  /** Seconds since the replica last acknowledged (master's INFO), or since last I/O (replica's INFO). */
  lagSeconds: number | null;
  priority: number | null;
  /** The master before the most recent failover, now back as a replica (or about to be). */
  formerMaster: boolean;
  /** The former master was seen converted to a replica of the new master. */
  rejoined: boolean;
}
