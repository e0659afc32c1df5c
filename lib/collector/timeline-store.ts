import "server-only";
/**
 * The incident timeline: bounded in memory, each event saved to the store so a console restart
 * loses nothing. Appending is synchronous (the store's writer queues the save): events are few.
 */
import type { Records } from "../store/records";
import type { TimelineEvent } from "../timeline/types";

const MAX_EVENTS = 5000;

export class TimelineStore {
  private events: TimelineEvent[] = [];
  private nextId = 1;
  private listeners = new Set<(e: TimelineEvent) => void>();

  constructor(private readonly records: Records<TimelineEvent> | null) {
    this.events = (records?.initial ?? []).slice(-MAX_EVENTS);
    this.nextId = (this.events.at(-1)?.id ?? 0) + 1;
  }

  append(e: Omit<TimelineEvent, "id" | "at"> & { at?: string }): TimelineEvent {
    const event: TimelineEvent = { id: this.nextId++, at: e.at ?? new Date().toISOString(), ...e } as TimelineEvent;
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.records?.save(event);
    for (const l of this.listeners) l(event);
    return event;
  }

  /** Newest last; optionally only events after `sinceId`. */
  list(sinceId = 0): TimelineEvent[] {
    return sinceId ? this.events.filter((e) => e.id > sinceId) : [...this.events];
  }

  onAppend(fn: (e: TimelineEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
