/**
 * Attributes the master's evicted_keys growth to key classes. Redis does not say which keys it
 * evicted (short of keyspace notifications, which the console may not switch on), so the ledger
 * uses the sample: re-checked keys that vanished before their TTL were evicted or deleted by the
 * application. Each class's normal deletion rate is learnt while nothing is evicted; during
 * evictions only the vanishing above that rate counts, and evictions are shared out by it. Pure.
 */
import type { KeyClass } from "./types";

/** Checks older than this no longer speak for the current evictions. */
const HOT_WINDOW_MS = 5 * 60_000;
/** How long the normal (eviction-free) deletion rate is remembered. */
const QUIET_WINDOW_MS = 15 * 60_000;
/** Evictions that nothing explains within this time are counted as unattributed. */
const PENDING_MAX_MS = 5 * 60_000;

interface Check {
  at: number;
  keyClass: KeyClass;
  exposureMs: number;
  vanished: boolean;
}

export class EvictionLedger {
  observed = 0;
  unattributed = 0;
  since: number | null = null;
  readonly byClass: Partial<Record<KeyClass, number>> = {};
  private pending: { at: number; count: number }[] = [];
  private evictionsAt: number[] = [];
  private quiet: Check[] = [];
  private hot: Check[] = [];
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
      this.evictionsAt.push(at);
    }
  }

  /** A sampled key re-checked `exposureMs` after its previous check: still there, or vanished before its TTL. */
  observeCheck(at: number, keyClass: KeyClass, exposureMs: number, vanished: boolean): void {
    const from = at - exposureMs;
    const duringEvictions = this.evictionsAt.some((t) => t > from && t <= at);
    (duringEvictions ? this.hot : this.quiet).push({ at, keyClass, exposureMs, vanished });
  }

  get pendingCount(): number {
    return this.pending.reduce((a, p) => a + p.count, 0);
  }

  get attributed(): number {
    return Object.values(this.byClass).reduce((a, n) => a + (n ?? 0), 0);
  }

  /** Per class, vanished keys during evictions beyond what the class deletes by itself. */
  excessVanished(): Partial<Record<KeyClass, number>> {
    const rate = (c: KeyClass) => {
      const q = this.quiet.filter((x) => x.keyClass === c);
      const exposure = q.reduce((a, x) => a + x.exposureMs, 0);
      return exposure ? q.filter((x) => x.vanished).length / exposure : 0;
    };
    const out: Partial<Record<KeyClass, number>> = {};
    for (const c of new Set(this.hot.map((x) => x.keyClass))) {
      const h = this.hot.filter((x) => x.keyClass === c);
      const excess = h.filter((x) => x.vanished).length - rate(c) * h.reduce((a, x) => a + x.exposureMs, 0);
      if (excess > 0) out[c] = excess;
    }
    return out;
  }

  /** Shares pending evictions out by the classes' excess vanishing; old evidence and pending age out. */
  settle(at: number): void {
    this.hot = this.hot.filter((x) => x.at > at - HOT_WINDOW_MS);
    this.quiet = this.quiet.filter((x) => x.at > at - QUIET_WINDOW_MS);
    this.evictionsAt = this.evictionsAt.filter((t) => t > at - QUIET_WINDOW_MS);
    const weights = Object.entries(this.excessVanished()) as [KeyClass, number][];
    const total = weights.reduce((a, [, w]) => a + w, 0);
    if (total > 0) {
      const count = this.pendingCount;
      for (const [c, w] of weights) this.byClass[c] = (this.byClass[c] ?? 0) + (count * w) / total;
      this.pending = [];
      return;
    }
    for (const p of this.pending.filter((p) => p.at <= at - PENDING_MAX_MS)) this.unattributed += p.count;
    this.pending = this.pending.filter((p) => p.at > at - PENDING_MAX_MS);
  }
}
