/**
 * The frames waiting for a stream's client while it has not read the last one. Of most events
 * only the newest waits (a snapshot replaces the one before it), so a client that never reads
 * costs a few frames; the events named in `each` (timeline events: one replaced is one missed)
 * wait every one, in order, up to `maxEach` (past it the oldest of them goes). Frames keep the
 * order they first waited in: a timeline event goes before the snapshot that follows it. Pure.
 */
interface Waiting {
  event: string;
  bytes: Uint8Array;
}

export class WaitingFrames {
  private queue: Waiting[] = [];

  constructor(
    private readonly each: ReadonlySet<string> = new Set(),
    private readonly maxEach = 100,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  add(event: string, bytes: Uint8Array): void {
    if (this.each.has(event)) {
      this.queue.push({ event, bytes });
      const same = this.queue.filter((f) => f.event === event);
      if (same.length > this.maxEach) this.queue.splice(this.queue.indexOf(same[0]), 1);
      return;
    }
    const i = this.queue.findIndex((f) => f.event === event);
    if (i >= 0) this.queue[i] = { event, bytes };
    else this.queue.push({ event, bytes });
  }

  /** The oldest waiting frame, taken out; null when none waits. */
  next(): Uint8Array | null {
    return this.queue.shift()?.bytes ?? null;
  }

  clear(): void {
    this.queue = [];
  }
}
