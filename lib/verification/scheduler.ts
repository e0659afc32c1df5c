import "server-only";
/**
 * Fires scheduled game days. Every replica runs this loop; only the one holding the scheduler's
 * lease acts, and each slot is claimed in the store before anything starts, so a slot fires once
 * even when the lease moves between two looks. A slot found later than its grace is recorded as
 * missed, never run late.
 */
import type { SchedulesRepo } from "@/lib/store/schedules-repo";
import type { VerificationEvent } from "./notification";
import type { Schedule } from "./schedule";
import { slotDecision, slotsBetween } from "./schedule-timing";
import type { ScheduledStart } from "./start-scheduled";

export interface SchedulerDeps {
  repo: () => SchedulesRepo | null;
  /** Whether this replica may fire now (holds the lease). */
  holdsLease: () => Promise<boolean>;
  start: (schedule: Schedule) => Promise<ScheduledStart>;
  notify: (deployment: string, event: VerificationEvent) => Promise<void>;
  /** Other work only the holder does on each look (telling about claims that expired). */
  whileHolding?: () => Promise<void>;
  now?: () => Date;
}

/** How often the holder looks: a slot fires at most this late (well inside the default 60 s grace). */
export const SCHEDULER_EVERY_MS = 2000;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private looking = false;
  /** The last look's problem (the store down, a start that threw), for the Schedules page. */
  problem: string | null = null;
  /** Each schedule's last started slot, read on every look by every replica (for /api/metrics). */
  lastStarted: ReadonlyMap<string, string> = new Map();

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.timer ??= setInterval(() => void this.look(), SCHEDULER_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look: each enabled schedule's slots since its last one. Never overlaps itself. */
  async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      const repo = this.deps.repo();
      if (!repo) return;
      this.lastStarted = await repo.lastStarted();
      if (!(await this.deps.holdsLease())) return;
      for (const schedule of await repo.list()) if (schedule.enabled) await this.lookAt(repo, schedule);
      await this.deps.whileHolding?.();
      this.problem = null;
    } catch (err) {
      this.problem = `the scheduler could not look: ${(err as Error).message}`;
    } finally {
      this.looking = false;
    }
  }

  private async lookAt(repo: SchedulesRepo, schedule: Schedule): Promise<void> {
    const now = this.deps.now?.() ?? new Date();
    // Slots count from the last one reached, or from when the schedule was made or last changed
    // (a paused schedule's slots are not missed, and an edit does not reach back).
    const last = await repo.lastSlot(schedule.id);
    const after = new Date(Math.max(Date.parse(schedule.updatedAt), last ? Date.parse(last) : 0));
    const due = slotsBetween(schedule, after, now);
    for (const [i, slot] of due.entries()) {
      const newest = i === due.length - 1;
      const decision = slotDecision(slot, now, schedule.graceSeconds);
      if (decision === "not-yet") continue;
      // Of several slots due at once only the newest may run: older ones are missed, not queued.
      if (decision === "missed" || !newest) {
        const reason =
          decision === "missed"
            ? `found ${Math.round((now.getTime() - slot.getTime()) / 1000)} s after its time, past its ${schedule.graceSeconds} s grace (no console was firing then): not run late`
            : "a later slot was due at the same look";
        await repo.claimSlot(schedule.id, slot.toISOString(), "missed", reason);
        continue;
      }
      if (!(await repo.claimSlot(schedule.id, slot.toISOString(), "starting"))) continue;
      await this.fire(repo, schedule, slot.toISOString());
    }
  }

  private async fire(repo: SchedulesRepo, schedule: Schedule, slot: string): Promise<void> {
    let started: ScheduledStart;
    try {
      started = await this.deps.start(schedule);
    } catch (err) {
      started = { ok: false, reason: `the start failed: ${(err as Error).message}` };
    }
    if (started.ok) {
      await repo.settleSlot(schedule.id, slot, "started", started.runId, null);
      return;
    }
    await repo.settleSlot(schedule.id, slot, "not-started", null, started.reason);
    await this.deps.notify(schedule.deployment, {
      kind: "schedule-not-started",
      deployment: schedule.deployment,
      schedule: schedule.name,
      scenario: schedule.scenario,
      reason: started.reason,
      at: new Date().toISOString(),
    });
  }
}
