/**
 * Attributes the master's evicted_keys growth to key classes. Redis does not say which keys it
 * evicted (short of keyspace notifications, which the console may not switch on), so the ledger
 * uses the sample: keys that vanished before their TTL ran out were evicted (or deleted). Each
 * eviction is shared out by the classes of those keys, seen within the last few minutes. Pure.
 */
import type { KeyClass } from "./types";

/** Vanished keys older than this no longer speak for the current evictions. */
const VANISH_WINDOW_MS = 5 * 60_000;
/** Evictions that no vanished key explains within this time are counted as unattributed. */
const PENDING_MAX_MS = 5 * 60_000;

export class EvictionLedger {
  observed = 0;
  unattributed = 0;
  since: number | null = null;
  readonly byClass: Partial<Record<KeyClass, number>> = {};
  private pending: { at: number; count: number }[] = [];
  private vanished: { at: number; keyClass: KeyClass }[] = [];
  private last: { nodeId: string; evictedKeys: number } | null = null;

  /** The master's evicted_keys counter now; a new master or a restart starts a new baseline. */
  observeCounter(at: number, nodeId: string, evictedKeys: number): void {
    const prev = this.last;
    this.last = { nodeId, evictedKeys };
    if (this.since === null) this.since = at;
    if (!prev || prev.nodeId !== nodeId || evictedKeys < prev.evictedKeys) return;
    const delta = evictedKeys - prev.evictedKeys;
    if (delta > 0) {
      this.observed += delta;
      this.pending.push({ at, count: delta });
    }
  }

  /** A sampled key that disappeared before its TTL. */
  observeVanished(at: number, keyClass: KeyClass): void {
    this.vanished.push({ at, keyClass });
  }

  get pendingCount(): number {
    return this.pending.reduce((a, p) => a + p.count, 0);
  }

  get attributed(): number {
    return Object.values(this.byClass).reduce((a, n) => a + (n ?? 0), 0);
  }

  /** Shares pending evictions out by the recent vanished keys' classes. */
  settle(at: number): void {
    this.vanished = this.vanished.filter((v) => v.at > at - VANISH_WINDOW_MS);
    if (this.vanished.length) {
      const count = this.pendingCount;
      for (const v of this.vanished) this.byClass[v.keyClass] = (this.byClass[v.keyClass] ?? 0) + count / this.vanished.length;
      this.pending = [];
      return;
    }
    for (const p of this.pending.filter((p) => p.at <= at - PENDING_MAX_MS)) this.unattributed += p.count;
    this.pending = this.pending.filter((p) => p.at > at - PENDING_MAX_MS);
  }
}
