/**
 * Folds the sentinels' events into the failover in progress and a bounded history of measured
 * failovers. Pure: the caller passes each event with the time it was received, so every
 * sentinel is measured on the console's one clock.
 */
import type { SentinelEvent } from "./event-parse";
import { iso, stepsOf, toRecord, type Run } from "./failover-run";
import type { FailoverKind, FailoverOutcome, FailoverProgress, FailoverRecord, FailoverStepId } from "./types";

/** The milestone each event marks. Others only add detail (epoch, aborts, reconfigured replicas). */
const STEP_OF: Record<string, FailoverStepId> = {
  "+sdown": "sdown",
  "+odown": "odown",
  "+try-failover": "try-failover",
  "+elected-leader": "elected-leader",
  "+selected-slave": "selected-replica",
  "+promoted-slave": "promoted",
  "+failover-detected": "promoted",
  "+failover-state-reconf-slaves": "reconf-replicas",
  "+failover-end": "failover-end",
  "+failover-end-for-timeout": "failover-end",
  "+switch-master": "switch-master",
};

export interface TrackerOptions {
  masterName: string;
  /** Records kept (newest first). */
  maxHistory?: number;
  /** A run past its start that hears nothing for this long is closed as incomplete (events were missed). */
  idleMs?: number;
  /** How long after completion late reporters and the old master's return still update a record. */
  settleMs?: number;
  /** Node id for an address, so records name nodes as the console knows them. */
  nodeId?: (addr: string | null) => string | null;
  /** Called when a record is final enough to persist (and again when it is later amended). */
  onRecord?: (r: FailoverRecord) => void;
  history?: FailoverRecord[];
}

const OLD_MASTER_WATCH_MS = 15 * 60_000;
/** This long after a failover ended, its sentinels' steps about the master it moved away from are late news of it. */
const LATE_NEWS_MS = 30_000;

/** The events only the failover's leader publishes, after its election (sentinel.c's failover state machine). */
const LEADER_ONLY = new Set([
  "+failover-state-select-slave",
  "+selected-slave",
  "+failover-state-send-slaveof-noone",
  "+failover-state-wait-promotion",
  "+promoted-slave",
  "+failover-state-reconf-slaves",
  "+slave-reconf-sent",
  "+failover-end",
]);

export class FailoverTracker {
  private run: Run | null = null;
  private records: FailoverRecord[];
  /** The latest completed run, still taking late reports until it settles. */
  private settling: { run: Run; record: FailoverRecord; until: number } | null = null;
  private lastEpoch: number | null = null;
  private readonly o: Required<Omit<TrackerOptions, "history" | "onRecord">> & Pick<TrackerOptions, "onRecord">;

  constructor(opts: TrackerOptions) {
    this.o = { maxHistory: 50, idleMs: 60_000, settleMs: 3000, nodeId: () => null, ...opts };
    this.records = [...(opts.history ?? [])].slice(0, this.o.maxHistory);
  }

  /** Takes one event as reported by one sentinel at `at` (ms). */
  ingest(sentinel: string, e: SentinelEvent, at: number): void {
    if (e.type === "+new-epoch" && e.epoch !== undefined) this.lastEpoch = Math.max(this.lastEpoch ?? 0, e.epoch);
    if (e.masterName !== null && e.masterName !== this.o.masterName) return;
    if (this.settling && this.amendSettled(sentinel, e, at)) return;
    if (this.isLateNews(e, at)) return;
    this.noteOldMasterBack(e, at);
    if (e.masterName === null) return;
    const isMaster = e.instance?.kind === "master";

    if (e.type === "-sdown" && isMaster) return this.masterBack(sentinel, at);
    if (e.type === "+sdown" && !isMaster) return;
    const step = STEP_OF[e.type];
    if (!step && !this.run) return;
    // +odown is automatic too: a manual SENTINEL FAILOVER never passes through it. Heard first when the
    // console missed the +sdown (a subscription reconnecting, a loaded machine).
    if (!this.run) this.run = this.open(e, at, step === "sdown" || step === "odown" ? "automatic" : step === "try-failover" ? "manual" : "unknown");
    const run = this.run;
    run.lastEventAt = at;
    if (e.type === "+sdown") run.sdownBy.add(sentinel);
    if (e.type.startsWith("-failover-abort")) run.aborts.push(`${e.type} by ${sentinel}`);
    if (e.type === "+failover-end-for-timeout") run.timedOut = true;
    if (e.type === "+slave-reconf-done" && e.instance) run.reconfigured.push(e.instance.addr);
    if (e.type === "+elected-leader") run.leader = sentinel;
    // Only the leader goes on to select and promote: a missed +elected-leader (pub/sub is at most
    // once; a subscription reconnecting on a loaded machine) is still a known leader.
    else if (LEADER_ONLY.has(e.type)) run.leader ??= sentinel;
    if (e.type === "+promoted-slave" && e.instance) run.newMaster = e.instance.addr;
    if (e.switchMaster) {
      run.oldMaster ??= e.switchMaster.from;
      run.newMaster = e.switchMaster.to;
    }
    if (step) this.mark(run, step, sentinel, at, this.detailOf(e, run));
    if (step === "switch-master") this.complete(run, at);
  }

  /**
   * Closes a run whose events stopped (a lost subscription); `masterStillDown` false also closes an
   * sdown-only run, but only when the sentinels were asked after its last event (`askedAt`): a look
   * that began before it (a slow look on a loaded machine) says nothing of it.
   */
  expire(now: number, masterStillDown: boolean | null = null, askedAt = now): void {
    if (this.settling && now >= this.settling.until) {
      this.o.onRecord?.(this.settling.record);
      this.settling = null;
    }
    const run = this.run;
    if (!run) return;
    const started = run.marks.has("try-failover") || run.marks.has("elected-leader");
    if (started && now - run.lastEventAt > this.o.idleMs) this.finish(run, "incomplete", now);
    else if (!started && masterStillDown === false && askedAt > run.lastEventAt && now - run.lastEventAt > this.o.settleMs) this.closeWithoutFailover(run, now);
  }

  /** The console itself saw `addr` stop answering at `at`: the start of the outage, before down-after-milliseconds. */
  noteMasterLost(addr: string, at: number): void {
    const run = this.run;
    if (run && run.oldMaster === addr && run.kind === "automatic" && (run.masterLostAt === null || at < run.masterLostAt)) {
      const sdown = run.marks.get("sdown");
      if (sdown && at <= sdown.at) run.masterLostAt = at;
    }
  }

  progress(): FailoverProgress {
    const run = this.run;
    if (!run)
      return {
        active: false,
        kind: null,
        step: null,
        leader: null,
        startedAt: null,
        steps: [],
        oldMaster: null,
        newMaster: null,
        epoch: null,
        aborts: [],
        masterLostAt: null,
      };
    const steps = stepsOf(run);
    return {
      active: true,
      kind: run.kind,
      step: steps.at(-1)?.step ?? null,
      leader: run.leader,
      startedAt: steps[0]?.at ?? null,
      steps,
      oldMaster: run.oldMaster,
      newMaster: run.newMaster,
      epoch: run.epoch,
      aborts: run.aborts,
      masterLostAt: run.masterLostAt !== null ? iso(run.masterLostAt) : null,
    };
  }

  /** Newest first. */
  history(): FailoverRecord[] {
    return this.records;
  }

  private open(e: SentinelEvent, at: number, kind: FailoverKind): Run {
    const oldMaster = e.switchMaster?.from ?? (e.instance?.kind === "master" ? e.instance.addr : e.masterAddr);
    return {
      id: `${iso(at)}-${Math.random().toString(36).slice(2, 6)}`,
      kind,
      oldMaster,
      newMaster: null,
      leader: null,
      epoch: this.lastEpoch,
      lastEventAt: at,
      marks: new Map(),
      sdownBy: new Set(),
      aborts: [],
      reconfigured: [],
      timedOut: false,
      masterLostAt: null,
    };
  }

  private mark(run: Run, step: FailoverStepId, by: string, at: number, detail?: string): void {
    const m = run.marks.get(step);
    if (!m) run.marks.set(step, { at, lastAt: at, by: new Set([by]), detail });
    else {
      m.by.add(by);
      m.lastAt = Math.max(m.lastAt, at);
      if (detail && !m.detail) m.detail = detail;
    }
    if (step === "try-failover" || step === "elected-leader") run.epoch = this.lastEpoch ?? run.epoch;
  }

  private detailOf(e: SentinelEvent, run: Run): string | undefined {
    if (e.type === "+odown" && e.quorum) return `quorum ${e.quorum}`;
    if (e.type === "+selected-slave" || e.type === "+promoted-slave") return e.instance?.addr;
    if (e.type === "+failover-detected") return "promoted outside Sentinel";
    if (e.type === "+failover-end-for-timeout") return "ended by failover-timeout";
    if (e.type === "+failover-end" && run.reconfigured.length) return `reconfigured ${run.reconfigured.join(", ")}`;
    if (e.switchMaster) return `${e.switchMaster.from} → ${e.switchMaster.to}`;
    return undefined;
  }

  private masterBack(sentinel: string, at: number): void {
    const run = this.run;
    if (!run) return;
    run.sdownBy.delete(sentinel);
    run.lastEventAt = at;
    const started = run.marks.has("try-failover") || run.marks.has("elected-leader");
    if (!started && run.sdownBy.size === 0) this.closeWithoutFailover(run, at);
  }

  /** The master came back before any failover began: an odown is history worth keeping, a lone sdown is noise. */
  private closeWithoutFailover(run: Run, at: number): void {
    if (run.marks.has("odown")) this.finish(run, "recovered", at);
    else this.run = null;
  }

  /** Persisted at once (a crash loses nothing) and again once the late reporters are in. */
  private complete(run: Run, at: number): void {
    const record = this.finish(run, run.timedOut ? "timed-out" : "completed", at);
    this.settling = { run, record, until: at + this.o.settleMs };
  }

  private finish(run: Run, outcome: FailoverOutcome, at: number): FailoverRecord {
    const record = this.toRecord(run, outcome, at);
    this.records = [record, ...this.records].slice(0, this.o.maxHistory);
    this.run = null;
    this.o.onRecord?.(record);
    return record;
  }

  /**
   * News of the failover just recorded, told after it completed, not a new failover:
   * - a `+switch-master` repeating its move after it settled (a sentinel that told it late, on a
   *   loaded machine): a new failover the same way would have needed one back in between;
   * - a step about the master it moved away from (the leader's `+failover-end` read after another
   *   sentinel's `+switch-master`: a loaded console reads their sockets in either order, and
   *   captured sentinels tell them 2 ms apart). A new failover of that address needs it to be
   *   master again first, which a failover back would have recorded.
   * Its measurements stay those of the completed record.
   */
  private isLateNews(e: SentinelEvent, at: number): boolean {
    const last = this.records[0];
    if (this.run || !last || !STEP_OF[e.type]) return false;
    if (e.type === "+switch-master") return e.switchMaster?.from === last.oldMaster && e.switchMaster?.to === last.newMaster;
    const moved =
      (last.outcome === "completed" || last.outcome === "timed-out") && last.oldMaster !== null && last.newMaster !== null && last.newMaster !== last.oldMaster;
    return moved && e.masterAddr === last.oldMaster && at - Date.parse(last.endedAt) <= LATE_NEWS_MS;
  }

  /**
   * Late reports still belong to the run just completed, and are measured on it: the other
   * sentinels' `+switch-master`, and the leader's own steps read after another sentinel's
   * `+switch-master` (its `+failover-end`: without it the record has no reconfiguration phase).
   */
  private amendSettled(sentinel: string, e: SentinelEvent, at: number): boolean {
    const s = this.settling!;
    const step = STEP_OF[e.type];
    if (this.run || !step) return false;
    const sameSwitch = step === "switch-master" && e.switchMaster?.to === s.run.newMaster;
    const sameFailover = step !== "switch-master" && s.run.oldMaster !== null && e.masterAddr === s.run.oldMaster;
    if (!sameSwitch && !sameFailover) return false;
    if (e.type === "+elected-leader" || LEADER_ONLY.has(e.type)) s.run.leader ??= sentinel;
    this.mark(s.run, step, sentinel, at, this.detailOf(e, s.run));
    this.replace(s.record, this.toRecord(s.run, s.record.outcome, at));
    return true;
  }

  private noteOldMasterBack(e: SentinelEvent, at: number): void {
    const converted = e.type === "+convert-to-slave" || (e.type === "+role-change" && e.reportedRole === "slave");
    const last = this.records[0];
    if (!converted || !last || last.oldMasterRejoinedAt || e.instance?.addr !== last.oldMaster || e.masterAddr !== last.newMaster) return;
    if (at - Date.parse(last.endedAt) > OLD_MASTER_WATCH_MS) return;
    const amended = { ...last, oldMasterRejoinedAt: iso(at) };
    const settling = this.settling?.record === last;
    this.replace(last, amended);
    if (!settling) this.o.onRecord?.(amended);
  }

  private replace(old: FailoverRecord, next: FailoverRecord): void {
    const i = this.records.indexOf(old);
    if (i >= 0) this.records[i] = next;
    if (this.settling?.record === old) this.settling.record = next;
  }

  private toRecord(run: Run, outcome: FailoverOutcome, at: number): FailoverRecord {
    return toRecord(run, outcome, at, { masterName: this.o.masterName, nodeId: this.o.nodeId, previous: this.records.find((r) => r.id === run.id) });
  }
}
