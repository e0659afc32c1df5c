import "server-only";
/**
 * Saves records in the order they were made, off the caller's path: a tick or a request never
 * waits on the database. When the store fails, what is not yet written stays here (bounded: the
 * oldest are dropped past the limit, and counted) and is written once the store answers again.
 * Every save is idempotent (upserts), so a save retried after an unknown outcome does no harm.
 */
import type { Store } from "./store";

interface PendingSave {
  /** Saves with the same key replace each other while queued (the incidents' fold: only the latest matters). */
  key: string | null;
  run: (store: Store) => Promise<void>;
}

export interface WriterStatus {
  /** Why records are not being saved now, or null while they are. */
  problem: string | null;
  since: string | null;
  pending: number;
  /** Saves dropped since the start because the buffer was full. */
  dropped: number;
}

const RETRY_MS = 1000;

export class RecordWriter {
  private queue: PendingSave[] = [];
  private inFlight: PendingSave | null = null;
  private dropped = 0;
  private problem: string | null = null;
  private since: string | null = null;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: () => Store | null,
    private readonly max = 20_000,
    /** Told once per outage when saves are dropped, and when the buffer is written back. */
    private readonly log: (line: string) => void = (l) => console.error(`[store] ${l}`),
  ) {}

  save(run: (store: Store) => Promise<void>, key: string | null = null): void {
    const queued = key === null ? -1 : this.queue.findIndex((p) => p.key === key);
    if (queued >= 0) this.queue[queued] = { key, run };
    else this.queue.push({ key, run });
    if (this.queue.length > this.max) {
      this.queue.splice(0, this.queue.length - this.max);
      if (this.dropped++ === 0) this.log(`the buffer of unsaved records is full (${this.max}): the oldest are dropped until the store is back`);
    }
    void this.flush();
  }

  status(): WriterStatus {
    return { problem: this.problem, since: this.since, pending: this.queue.length + (this.inFlight ? 1 : 0), dropped: this.dropped };
  }

  /** Says the store is down (it could not open) before any save tried it. */
  fail(reason: string): void {
    this.problem ??= reason;
    this.since ??= new Date().toISOString();
  }

  /** Resolves once everything queued now is written (or the store failed). */
  async flush(): Promise<void> {
    if (this.inFlight || this.retry) return;
    while (this.queue.length) {
      const store = this.store();
      if (!store) return this.later(this.problem ?? "the store is not open");
      this.inFlight = this.queue.shift()!;
      try {
        await this.inFlight.run(store);
      } catch (err) {
        this.queue.unshift(this.inFlight);
        this.inFlight = null;
        return this.later((err as Error).message);
      }
      this.inFlight = null;
      if (this.problem) {
        this.log(
          `the store answers again: writing ${this.queue.length + 1} records held since ${this.since}${this.dropped ? `; ${this.dropped} were dropped` : ""}`,
        );
        this.problem = null;
        this.since = null;
      }
    }
  }

  /** Resolves once nothing is queued or in flight, the store fails, or `ms` pass (a shutdown). */
  async drain(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    void this.flush();
    while ((this.queue.length || this.inFlight) && !this.problem && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  private later(reason: string): void {
    if (!this.problem) this.log(`records are not being saved: ${reason}`);
    this.fail(reason);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.flush();
    }, RETRY_MS);
    this.retry.unref();
  }
}
