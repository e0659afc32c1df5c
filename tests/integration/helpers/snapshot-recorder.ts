/**
 * Records every snapshot the console pushes over /api/stream, with the time it arrived, so a
 * test can look at the whole sequence (a failover's steps) and not only the latest state.
 * Unbounded on purpose: a test file lives minutes, at a few snapshots a second.
 */
import type { Snapshot } from "../../../lib/snapshot/types";
import { SseFrameReader } from "../../../lib/sse/frames";

export interface Received {
  receivedAt: number;
  snapshot: Snapshot;
}

export class SnapshotRecorder {
  readonly received: Received[] = [];
  private readonly controller = new AbortController();
  private failure: Error | null = null;

  private constructor(private readonly url: string) {}

  /** Opens the stream; resolves once the first snapshot has arrived (within 15 s). */
  static async open(baseUrl: string): Promise<SnapshotRecorder> {
    const r = new SnapshotRecorder(`${baseUrl}/api/stream`);
    void r.read();
    const deadline = Date.now() + 15_000;
    while (!r.received.length) {
      if (r.failure) throw r.failure;
      if (Date.now() > deadline) throw new Error("no snapshot on /api/stream within 15 s");
      await new Promise((res) => setTimeout(res, 50));
    }
    return r;
  }

  latest(): Snapshot {
    if (this.failure) throw this.failure;
    return this.received.at(-1)!.snapshot;
  }

  /** A position to read from later: `since(mark())` is what arrived after this call. */
  mark(): number {
    return this.received.length;
  }

  since(index: number): Received[] {
    return this.received.slice(index);
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
          if (e.event === "snapshot") this.received.push({ receivedAt: Date.now(), snapshot: JSON.parse(e.data) as Snapshot });
        }
      }
    } catch (err) {
      if (!this.controller.signal.aborted) this.failure = err as Error;
    }
  }
}
