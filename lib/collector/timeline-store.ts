import "server-only";
/**
 * The incident timeline: bounded in memory, each event handed to the store so a console restart
 * loses nothing. Appending is synchronous (the store's writer queues the save): events are few.
 */
import type { Records } from "../store/records";
import type { TimelineEvent } from "../timeline/types";

const MAX_EVENTS = 5000;

/**
 * Ids are time-based (milliseconds × 1000 plus a per-process offset), so replicas sharing a store
 * make ids that order by time and almost never meet; the store keeps a clashing one under the next
 * free id. Still below 2^53 until the year 2255.
 */
const replicaOffset = Math.floor(Math.random() * 1000);

export class TimelineStore {
  private events: TimelineEvent[] = [];
  private nextId = 1;
  /** The first id this process made: what it saw itself, as opposed to what it read from the store. */
  private readonly firstOwnId: number;
  private listeners = new Set<(e: TimelineEvent) => void>();

  constructor(private readonly records: Records<TimelineEvent> | null) {
    this.events = (records?.initial ?? []).slice(-MAX_EVENTS);
    this.nextId = (this.events.at(-1)?.id ?? 0) + 1;
    this.firstOwnId = this.takeId();
    this.nextId = this.firstOwnId;
  }

  private takeId(): number {
    const id = Math.max(this.nextId, Date.now() * 1000 + replicaOffset);
    this.nextId = id + 1;
    return id;
  }

  append(e: Omit<TimelineEvent, "id" | "at"> & { at?: string }): TimelineEvent {
    const event: TimelineEvent = { id: this.takeId(), at: e.at ?? new Date().toISOString(), ...e } as TimelineEvent;
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.records?.save(event);
    for (const l of this.listeners) l(event);
    return event;
  }

  /**
   * Another replica's event read from the store (a chaos step of a run it runs): shown and folded
   * into incidents like one of this replica's, but not saved again. False when already here.
   */
  ingest(event: TimelineEvent): boolean {
    if (this.events.some((e) => e.id === event.id)) return false;
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    for (const l of this.listeners) l(event);
    return true;
  }

  /** Whether the lists served to browsers (from the store, when shared) show this event under its id. */
  listed(e: TimelineEvent): boolean {
    return this.records?.listed?.(e) ?? true;
  }

  /** Newest last; optionally only events after `sinceId`. */
  list(sinceId = 0): TimelineEvent[] {
    return sinceId ? this.events.filter((e) => e.id > sinceId) : [...this.events];
  }

  /** The events this process appended (still in memory), oldest first. */
  own(): TimelineEvent[] {
    return this.events.filter((e) => e.id >= this.firstOwnId);
  }

  onAppend(fn: (e: TimelineEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
