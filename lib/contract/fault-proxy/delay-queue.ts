/**
 * Delivers chunks after a per-chunk delay without ever reordering them: a chunk is never due
 * before the one ahead of it, so jitter stretches the stream instead of scrambling the protocol.
 */

export class DelayQueue {
  private items: { due: number; chunk: Buffer }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastDue = 0;

  constructor(
    private readonly deliver: (chunk: Buffer) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues a chunk for delivery `delayMs` from now, or right away when nothing waits and delay is 0. */
  push(chunk: Buffer, delayMs: number): void {
    const now = this.now();
    const due = Math.max(now + Math.max(0, delayMs), this.lastDue);
    this.lastDue = due;
    if (due <= now && this.items.length === 0) {
      this.deliver(chunk);
      return;
    }
    this.items.push({ due, chunk });
    if (!this.timer) this.schedule();
  }

  /** Chunks still waiting. */
  get pending(): number {
    return this.items.length;
  }

  /** Drops whatever waits (the connection is gone). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.items = [];
  }

  private schedule(): void {
    const head = this.items[0];
    if (!head) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.due - this.now()));
  }

  private flush(): void {
    this.timer = null;
    const now = this.now();
    while (this.items.length && this.items[0].due <= now) this.deliver(this.items.shift()!.chunk);
    this.schedule();
  }
}

/** One direction's delay for a chunk: half the round-trip latency, ± half the jitter, never negative. */
export function directionDelay(latencyMs: number, jitterMs: number, random: () => number = Math.random): number {
  const jitter = jitterMs > 0 ? (random() * 2 - 1) * (jitterMs / 2) : 0;
  return Math.max(0, latencyMs / 2 + jitter);
}
