/**
 * When a scheduled game day may run: a cron expression in a time zone, narrowed by allowed windows
 * and blackout dates (issue 29). Pure: the scheduler, the Schedules page's "next slots" and the
 * API's validation all ask this module, so a slot the page lists is a slot that fires.
 */
import { Cron } from "croner";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of local time (in the schedule's zone) on some weekdays: `from` inclusive, `to` exclusive. */
export interface AllowedWindow {
  days?: Weekday[];
  from: string;
  to: string;
}

export interface ScheduleTiming {
  cron: string;
  timeZone: string;
  /** None: every slot is allowed. Several: a slot in any of them is. */
  windows?: AllowedWindow[];
  /** Local dates ("2026-12-24") on which no slot runs. */
  blackoutDates?: string[];
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a timing, in words a person can act on; null when it is usable. */
export function timingProblem(t: ScheduleTiming): string | null {
  if (!isTimeZone(t.timeZone)) return `timeZone "${t.timeZone}" is not an IANA time zone (e.g. "Europe/Berlin", "UTC")`;
  try {
    new Cron(t.cron, { timezone: t.timeZone, paused: true });
  } catch (err) {
    return `cron "${t.cron}" is not a cron expression: ${(err as Error).message}`;
  }
  for (const w of t.windows ?? []) {
    if (!HH_MM.test(w.from) || !HH_MM.test(w.to)) return `window ${w.from}-${w.to}: times are HH:MM, 00:00 to 23:59`;
    if (w.from === w.to) return `window ${w.from}-${w.to} is empty`;
    const bad = (w.days ?? []).find((d) => !WEEKDAYS.includes(d));
    if (bad) return `window day "${bad}" is not one of ${WEEKDAYS.join(", ")}`;
  }
  const badDate = (t.blackoutDates ?? []).find((d) => !DATE.test(d));
  if (badDate) return `blackout date "${badDate}" is not YYYY-MM-DD`;
  if (t.windows?.length && nextSlots(t, new Date(), 1).length === 0) return `cron "${t.cron}" never fires inside the allowed windows`;
  return null;
}

/** The cron's slots strictly after `from`, skipping those outside the windows or on blackout dates. */
export function nextSlots(t: ScheduleTiming, from: Date, count: number, until?: Date): Date[] {
  const cron = new Cron(t.cron, { timezone: t.timeZone, paused: true });
  const slots: Date[] = [];
  let cursor: Date | null = from;
  // Bounded: a window that never meets the cron (e.g. "0 3 * * *" inside 09:00-17:00) must not
  // spin. A slot in closed time jumps the search to where a window opens next, so a per-second
  // cron with a weekend window costs a few looks a week, not one a second.
  for (let looked = 0; slots.length < count && looked < 1_000; looked++) {
    cursor = cron.nextRun(cursor);
    if (!cursor || (until && cursor.getTime() > until.getTime())) break;
    if (slotAllowed(t, cursor)) slots.push(cursor);
    else cursor = nextOpening(t, cursor);
  }
  return slots;
}

/** The allowed slots in (after, upTo]: what should have fired since the last look. */
export function slotsBetween(t: ScheduleTiming, after: Date, upTo: Date, limit = 100): Date[] {
  return nextSlots(t, after, limit, upTo);
}

/**
 * Just before the next moment a slot could be allowed, seen from `slot` which is not: the next
 * local midnight past a blackout date, else the next window's start. Never later than it (a
 * slot there must not be skipped) and never before `slot`.
 */
function nextOpening(t: ScheduleTiming, slot: Date): Date {
  const local = localParts(slot, t.timeZone);
  let minutes = 24 * 60 - local.minutes;
  if (!(t.blackoutDates ?? []).includes(local.date) && t.windows?.length) {
    minutes = Math.min(...t.windows.map((w) => minutesToStart(w, local)));
  }
  const minuteStart = Math.floor(slot.getTime() / 60_000) * 60_000;
  let target = minuteStart + minutes * 60_000;
  // Local minutes are not real ones across a DST change: take the shift back out.
  target -= (utcOffsetMinutes(new Date(target), t.timeZone) - utcOffsetMinutes(slot, t.timeZone)) * 60_000;
  return new Date(Math.max(slot.getTime(), target - 1000));
}

/** Local minutes from `local` to the next start of `w` (within a week). */
function minutesToStart(w: AllowedWindow, local: LocalParts): number {
  const from = toMinutes(w.from);
  const today = WEEKDAYS.indexOf(local.day);
  for (let offset = 0; offset <= 7; offset++) {
    if (offset === 0 && from <= local.minutes) continue;
    if (!w.days?.length || w.days.includes(WEEKDAYS[(today + offset) % 7])) return offset * 24 * 60 + from - local.minutes;
  }
  return 7 * 24 * 60;
}

/** How far the zone's wall clock is ahead of UTC at `at`, in minutes. */
function utcOffsetMinutes(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const [y, m, d] = p.date.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d, Math.floor(p.minutes / 60), p.minutes % 60);
  return Math.round((wall - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

export function slotAllowed(t: ScheduleTiming, slot: Date): boolean {
  const local = localParts(slot, t.timeZone);
  if ((t.blackoutDates ?? []).includes(local.date)) return false;
  if (!t.windows?.length) return true;
  return t.windows.some((w) => inWindow(w, local));
}

/**
 * What to do with a slot the scheduler sees at `now`: run it while it is at most `graceSeconds`
 * old; past that it is missed (recorded, never run late: a game day at the wrong hour is a risk
 * the schedule's owner did not take).
 */
export function slotDecision(slot: Date, now: Date, graceSeconds: number): "run" | "missed" | "not-yet" {
  const late = now.getTime() - slot.getTime();
  if (late < 0) return "not-yet";
  return late <= graceSeconds * 1000 ? "run" : "missed";
}

interface LocalParts {
  date: string;
  day: Weekday;
  minutes: number;
}

function inWindow(w: AllowedWindow, local: LocalParts): boolean {
  const from = toMinutes(w.from);
  const to = toMinutes(w.to);
  const dayOk = !w.days?.length || w.days.includes(local.day);
  // A window past midnight (22:00-02:00) belongs to the day it starts on; its after-midnight part
  // is on the next day, so the weekday to check is the previous one.
  if (from < to) return dayOk && local.minutes >= from && local.minutes < to;
  if (local.minutes >= from) return dayOk;
  if (local.minutes < to) return !w.days?.length || w.days.includes(WEEKDAYS[(WEEKDAYS.indexOf(local.day) + 6) % 7]);
  return false;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

function localParts(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    day: parts.weekday.toLowerCase().slice(0, 3) as Weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
