/**
 * Reads a console's /api/stream as a browser's EventSource would (a real HTTP client) and keeps
 * every timeline event it pushes, in order, and the latest snapshot: a test counts what a stream
 * pushed (each event once, none missing), not what a list answers.
 */
import type { Snapshot } from "../../../lib/snapshot/types";
import { SseFrameReader } from "../../../lib/sse/frames";
import type { TimelineEvent } from "../../../lib/timeline/types";
import { waitFor } from "./stack";

export class TimelineRecorder {
  readonly events: TimelineEvent[] = [];
  snapshots = 0;
  latest: Snapshot | null = null;
  private readonly controller = new AbortController();
  private failure: Error | null = null;

  private constructor(private readonly url: string) {}

  /** Opens the stream; resolves once its first snapshot has arrived. */
  static async open(baseUrl: string): Promise<TimelineRecorder> {
    const r = new TimelineRecorder(`${baseUrl}/api/stream`);
    void r.read();
    await waitFor(`the first snapshot on ${r.url}`, () => r.check().snapshots > 0, 15_000, 50);
    return r;
  }

  /** Throws what broke the stream, if anything did. */
  check(): this {
    if (this.failure) throw this.failure;
    return this;
  }

  /** How many times each id was pushed. */
  counts(): Map<number, number> {
    const out = new Map<number, number>();
    for (const e of this.events) out.set(e.id, (out.get(e.id) ?? 0) + 1);
    return out;
  }

  close(): void {
    this.controller.abort();
  }

  private async read(): Promise<void> {
    try {
      const res = await fetch(this.url, { signal: this.controller.signal });
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      const reader = new SseFrameReader();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (const e of reader.push(chunk)) {
          if (e.event === "timeline") this.events.push(JSON.parse(e.data) as TimelineEvent);
          if (e.event === "snapshot") {
            this.snapshots++;
            this.latest = JSON.parse(e.data) as Snapshot;
          }
        }
      }
      throw new Error("the stream ended");
    } catch (err) {
      if (!this.controller.signal.aborted) this.failure = err as Error;
    }
  }
}
