/**
 * Groups the same event reported by several sentinels (each publishes its own +sdown, +odown,
 * +switch-master) into one, naming every reporter. Pure: the caller supplies the time and asks
 * for due groups.
 */
import type { SentinelEvent } from "./event-parse";

export interface ReportGroup {
  key: string;
  event: SentinelEvent;
  firstAt: number;
  reporters: string[];
}

/** Events about one sentinel's own state: never merged across sentinels. */
const LOCAL = new Set(["+tilt", "-tilt"]);

/** What makes two reports "the same event": not the reporter, not +odown's per-sentinel quorum count. */
export function dedupeKey(sentinel: string, e: SentinelEvent): string {
  if (LOCAL.has(e.type)) return `${e.type}|${sentinel}`;
  if (!e.instance && !e.switchMaster && e.epoch === undefined) return `${e.type}|${e.raw}`;
  return [e.type, e.instance?.kind, e.instance?.addr, e.masterName, e.epoch, e.switchMaster?.to, e.reportedRole].join("|");
}

interface Open {
  group: ReportGroup;
  expected: number;
  closesAt: number;
}

export class EventDeduper {
  private open = new Map<string, Open>();
  /** Published groups still absorbing late reporters, so a slow sentinel adds no second entry. */
  private recent = new Map<string, { reporters: Set<string>; until: number }>();

  constructor(
    private readonly windowMs = 1200,
    private readonly lateMs = 10_000,
  ) {}

  /** Adds one report; returns the groups complete now (all `expected` reporters in). */
  add(sentinel: string, event: SentinelEvent, expected: number, now: number): ReportGroup[] {
    this.forget(now);
    const key = dedupeKey(sentinel, event);
    const late = this.recent.get(key);
    if (late && late.until > now && !late.reporters.has(sentinel)) {
      late.reporters.add(sentinel);
      return [];
    }
    const o = this.open.get(key);
    if (o) {
      if (!o.group.reporters.includes(sentinel)) o.group.reporters.push(sentinel);
      return o.group.reporters.length >= o.expected ? [this.close(key, now)] : [];
    }
    this.open.set(key, { group: { key, event, firstAt: now, reporters: [sentinel] }, expected: Math.max(1, expected), closesAt: now + this.windowMs });
    return expected <= 1 ? [this.close(key, now)] : [];
  }

  /** Groups whose window has passed, oldest first. */
  due(now: number): ReportGroup[] {
    this.forget(now);
    return [...this.open.entries()]
      .filter(([, o]) => o.closesAt <= now)
      .sort((a, b) => a[1].group.firstAt - b[1].group.firstAt)
      .map(([k]) => this.close(k, now));
  }

  /** When the next open group closes, for the caller's timer. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const o of this.open.values()) if (next === null || o.closesAt < next) next = o.closesAt;
    return next;
  }

  private forget(now: number): void {
    for (const [k, r] of this.recent) if (r.until <= now) this.recent.delete(k);
  }

  private close(key: string, now: number): ReportGroup {
    const { group } = this.open.get(key)!;
    this.open.delete(key);
    this.recent.set(key, { reporters: new Set(group.reporters), until: now + this.lateMs });
    return group;
  }
}
