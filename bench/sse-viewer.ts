/** A viewer of /api/stream: parses each `snapshot` event (or only counts them) and timestamps its arrival. */
import type { Snapshot } from "../lib/snapshot/types";
import { SseFrameReader } from "../lib/sse/frames";

export class SseViewer {
  snapshots = 0;
  bytes = 0;
  failure: Error | null = null;
  private closed = false;
  private readonly controller = new AbortController();
  private waiters = new Set<(s: Snapshot, at: number) => void>();

  /** `parse` false: a load viewer that only reads bytes, so the bench's own CPU stays small. */
  constructor(
    private readonly url: string,
    private readonly parse = true,
    /** The stream to read: another deployment's (`/api/stream?deployment=…`). */
    private readonly path = "/api/stream",
  ) {
    void this.read();
  }

  /** Resolves with the first snapshot arriving after this call that satisfies `test`, and when it arrived. */
  next(test: (s: Snapshot) => boolean, timeoutMs: number): Promise<{ snapshot: Snapshot; at: number }> {
    return new Promise((resolve, reject) => {
      const waiter = (s: Snapshot, at: number) => {
        if (!test(s)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve({ snapshot: s, at });
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching snapshot within ${timeoutMs} ms${this.failure ? ` (stream: ${this.failure.message})` : ""}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
  }

  private async read(): Promise<void> {
    // The stream itself lives until close(); only getting its headers is bounded.
    const connectTimer = setTimeout(() => this.controller.abort(new Error(`no answer from ${this.path} within 10 s`)), 10_000);
    try {
      const res = await fetch(`${this.url}${this.path}`, { signal: this.controller.signal });
      clearTimeout(connectTimer);
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      const reader = new SseFrameReader();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        this.bytes += chunk.byteLength;
        if (!this.parse) continue;
        const at = Date.now();
        for (const e of reader.push(chunk)) {
          if (e.event !== "snapshot") continue;
          this.snapshots++;
          const snapshot = JSON.parse(e.data) as Snapshot;
          for (const w of [...this.waiters]) w(snapshot, at);
        }
      }
    } catch (err) {
      clearTimeout(connectTimer);
      if (!this.closed) this.failure = err as Error;
    }
  }
}

/** Every layer ok, Redis available, a master up and the sentinels agreeing: the stack as the console sees it at rest. */
export function allOk(s: Snapshot): boolean {
  return (
    s.layers.length === 4 &&
    s.layers.every((l) => l.status === "ok") &&
    s.redis.available === true &&
    s.redis.nodes.some((n) => n.up && n.role === "master") &&
    s.redis.nodes.every((n) => n.up) &&
    !s.sentinel.splitView &&
    s.sentinel.reachable === s.sentinel.sentinels.length
  );
}
