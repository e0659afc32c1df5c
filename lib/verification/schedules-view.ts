import "server-only";
/**
 * What `GET /api/schedules` and the Schedules page show of a schedule: itself, its next allowed
 * slots, what became of its recent ones, and the notifications that could not be delivered.
 */
import { RECORDS_LEASE } from "@/lib/store/lease";
import type { Store } from "@/lib/store/store";
import type { NotificationRecord } from "@/lib/store/schedules-repo";
import type { Schedule, SlotRecord } from "./schedule";
import { nextSlots } from "./schedule-timing";

export interface ScheduleView extends Schedule {
  nextSlots: string[];
  recentSlots: SlotRecord[];
}

export interface SchedulesAnswer {
  schedules: ScheduleView[];
  /** Which replica fires schedules now (null: none holds the lease, nothing fires). */
  firingReplica: string | null;
  /** The scheduler's last problem on this replica, if any. */
  problem: string | null;
  undelivered: NotificationRecord[];
}

export async function viewSchedule(store: Store, s: Schedule, now = new Date()): Promise<ScheduleView> {
  return {
    ...s,
    nextSlots: s.enabled ? nextSlots(s, now, 5).map((d) => d.toISOString()) : [],
    recentSlots: await store.schedules.slots(s.id, 10),
  };
}

export async function schedulesAnswer(store: Store, deployments: string[], problem: string | null): Promise<SchedulesAnswer> {
  const all = (await store.schedules.list()).filter((s) => deployments.includes(s.deployment));
  const undelivered = (await Promise.all(deployments.map((d) => store.schedules.notifications(d, true, 10)))).flat().sort((a, b) => b.id - a.id);
  return {
    schedules: await Promise.all(all.map((s) => viewSchedule(store, s))),
    firingReplica: (await store.leases.current(RECORDS_LEASE))?.holder ?? null,
    problem,
    undelivered: undelivered.slice(0, 20),
  };
}
