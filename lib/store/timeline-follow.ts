import "server-only";
/**
 * Every replica's stream follows the store's timeline. Only the lease holder writes what is
 * observed, and a replica that does not hold the lease pushes none of its own sightings, so
 * without this its viewers would see nothing new until they refetched. Once a second, one query
 * per replica (not per viewer, not per deployment) reads every event written since the last look,
 * in the order the store took them (`timeline_events.written`, not the time-based ids: a new
 * holder's handover writes events seen seconds ago), and each deployment's stream pushes those it
 * has not shown (lib/store/streamed-events.ts): no duplicate, and no gap across a handover.
 *
 * With PGlite, or while the store takes no records, there is nothing to follow: each replica's
 * stream pushes its own sightings (the collector's `listed`), and a failed read leaves the
 * cursor where it was, so what is written once the store is back is followed then.
 */
import type { TimelineEvent } from "../timeline/types";
import { sharedStore } from "./instance";
import type { Store } from "./store";

/** A deployment's stream: pushes an event another replica wrote unless it showed it already. */
export interface FollowingStream {
  pushFollowed(e: TimelineEvent): boolean;
}

const FOLLOW_EVERY_MS = 1000;
const PAGE = 500;
/** A backlog (the holder's buffer written after a store outage) is read this many pages a look at most. */
const MAX_PAGES = 20;
/**
 * Each look reads again what the last two took: an insert takes its `written` before it commits,
 * so one may commit after a later one was already read. The streams drop what they showed.
 */
const REREAD_LOOKS = 3;

export class TimelineFollow {
  /** Where the store's writes were at the start of the last looks, oldest first (empty: not started). */
  private marks: number[] = [];
  /** The last look stopped at MAX_PAGES: the next one goes on from where it stopped. */
  private behind = false;
  private looking = false;

  constructor(private readonly streams: ReadonlyMap<string, FollowingStream>) {}

  /**
   * One look; never throws. A read is bounded by the engine's statement timeout (5 s); the next
   * look waits for it to end rather than piling another onto the pool's few connections.
   */
  async look(): Promise<void> {
    const store = sharedStore();
    if (!store || this.looking) return;
    this.looking = true;
    try {
      await this.read(store);
    } catch {
      /* the store did not answer: the writer's ping says so on every page; the next look starts from the same place */
    } finally {
      this.looking = false;
    }
  }

  private async read(store: Store): Promise<void> {
    if (!this.marks.length) {
      // Starts from now: what was written before is the lists' to serve (GET /api/timeline).
      this.marks = [await store.timeline.lastWritten()];
      return;
    }
    let from = this.behind ? this.marks.at(-1)! : this.marks[0];
    let top = this.marks.at(-1)!;
    let full = false;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await store.timeline.writtenAfter(from, PAGE);
      for (const r of rows) this.streams.get(r.deployment)?.pushFollowed(r.event);
      if (rows.length) top = Math.max(top, (from = rows.at(-1)!.written));
      full = rows.length === PAGE;
      if (!full) break;
    }
    this.behind = full;
    this.marks.push(top);
    if (this.marks.length > REREAD_LOOKS) this.marks.shift();
  }
}

const KEY = Symbol.for("redis-resilience-console.timeline-follow");
type WithFollow = typeof globalThis & { [KEY]?: TimelineFollow };

/** Starts following the store for these deployments' streams (once per process). */
export function startTimelineFollow(streams: ReadonlyMap<string, FollowingStream>): TimelineFollow {
  const g = globalThis as WithFollow;
  if (!g[KEY]) {
    const follow = new TimelineFollow(streams);
    g[KEY] = follow;
    setInterval(() => void follow.look(), FOLLOW_EVERY_MS).unref();
  }
  return g[KEY];
}
