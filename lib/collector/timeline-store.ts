import "server-only";
/**
 * The incident timeline: bounded in memory, appended to a JSONL file so a console restart
 * loses nothing. Writes are append-only and synchronous: events are few (state changes only).
 */
import fs from "node:fs";
import path from "node:path";
import type { TimelineEvent } from "../timeline/types";

const MAX_EVENTS = 5000;

export class TimelineStore {
  private events: TimelineEvent[] = [];
  private nextId = 1;
  private listeners = new Set<(e: TimelineEvent) => void>();

  constructor(private readonly file: string | null) {
    if (!file) return;
    try {
      const lines = fs.readFileSync(file, "utf8").trim().split("\n").slice(-MAX_EVENTS);
      for (const line of lines) {
        try {
          this.events.push(JSON.parse(line) as TimelineEvent);
        } catch {
          /* a torn last line from a crash: skip it */
        }
      }
      this.nextId = (this.events.at(-1)?.id ?? 0) + 1;
    } catch {
      /* no file yet */
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  append(e: Omit<TimelineEvent, "id" | "at"> & { at?: string }): TimelineEvent {
    const event: TimelineEvent = { id: this.nextId++, at: e.at ?? new Date().toISOString(), ...e } as TimelineEvent;
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    if (this.file) {
      try {
        fs.appendFileSync(this.file, JSON.stringify(event) + "\n");
      } catch {
        /* a full disk must not stop the watch; memory still has it */
      }
    }
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
