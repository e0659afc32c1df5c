import "server-only";
/**
 * What viewers get from a collector: the current snapshot, serialized once per push (every viewer
 * and the fast /api/snapshot path send the same bytes), and the stream's pushes of snapshots and
 * timeline events, each event once whoever recorded it (lib/store/streamed-events.ts).
 */
import { StreamedEvents } from "../store/streamed-events";
import type { Snapshot } from "../snapshot/types";
import type { TimelineEvent } from "../timeline/types";

export type Listener = (event: "snapshot" | "timeline", json: string) => void;

export class SnapshotChannel {
  private current: Snapshot;
  private json: string;
  private bytes: Buffer;
  private readonly listeners = new Set<Listener>();
  private readonly streamed = new StreamedEvents();

  constructor(first: Snapshot) {
    this.current = first;
    this.json = JSON.stringify(first);
    this.bytes = Buffer.from(this.json);
  }

  snapshot(): Snapshot {
    return this.current;
  }

  snapshotJson(): string {
    return this.json;
  }

  snapshotBytes(): Buffer {
    return this.bytes;
  }

  /**
   * The next snapshot, serialized once and pushed to every viewer; `before` runs once it is
   * current and before the viewers get it (the incident fold, whose events go out first).
   */
  publish(next: Snapshot, before?: () => void): void {
    this.current = next;
    this.json = JSON.stringify(next);
    this.bytes = Buffer.from(this.json);
    before?.();
    this.broadcast("snapshot", this.json);
  }

  /** A timeline event to the viewers, once per id; `own` when this replica recorded it. */
  pushTimeline(e: TimelineEvent, own: boolean): void {
    if (this.streamed.has(e.id)) return;
    this.streamed.pushed(e, own);
    this.broadcast("timeline", JSON.stringify(e));
  }

  /** An event read from the store, unless the stream showed it already; true when pushed. */
  pushFollowed(e: TimelineEvent): boolean {
    if (!this.streamed.isNew(e)) return false;
    this.pushTimeline(e, false);
    return true;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private broadcast(event: "snapshot" | "timeline", json: string): void {
    for (const l of this.listeners) {
      try {
        l(event, json);
      } catch {
        /* a broken viewer must not stop the others */
      }
    }
  }
}
