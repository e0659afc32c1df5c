/**
 * Answers that cost connections to a target, shared: one computation per key for `ttlMs` (every
 * caller of the same key gets the same promise), and at most `maxInFlight` computations at once,
 * so a loop of requests cannot open connections faster than they close. Pure (no I/O of its own).
 */
export class BoundedAnswerCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();
  private inFlight = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxInFlight: number,
    private readonly maxEntries = 64,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached or a new answer for key; null when `maxInFlight` computations are already running. */
  get(key: string, compute: () => Promise<T>): Promise<T> | null {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at <= this.ttlMs) return hit.value;
    if (this.inFlight >= this.maxInFlight) return null;
    this.inFlight++;
    const value = compute().finally(() => this.inFlight--);
    // A failure is not remembered: the next caller asks again (within the in-flight bound).
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    // Oldest first out: Map keeps insertion order.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
