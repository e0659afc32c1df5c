/**
 * TTL bookkeeping for faults. Every fault is recorded with how to undo it and undoes itself
 * when its TTL runs out; reset and shutdown undo them all. One fault per key (kind + target):
 * a new one replaces the old without undoing it, since it sets the same knob anew.
 */

export const DEFAULT_TTL_SECONDS = 120;
export const MAX_TTL_SECONDS = 600;

export type FaultKind = "proxy-latency" | "proxy-cut" | "proxy-blackhole" | "node-kill" | "node-freeze" | "memory-fill" | "layer-hang" | "layer-misbehave";

/** Why a fault is undone: expiry, an explicit clear, a reset, or the supervisor stopping. */
export type UndoReason = "expired" | "cleared" | "reset" | "shutdown";

export interface ActiveFault {
  id: string;
  kind: FaultKind;
  target: string;
  params: Record<string, unknown>;
  ttlSeconds: number;
  startedAt: string;
  expiresAt: string;
}

interface Entry {
  fault: ActiveFault;
  timer: NodeJS.Timeout;
  undo: (reason: UndoReason) => Promise<void>;
}

/** The TTL a request gets: the default when absent; the schema has already bounded it. */
export function effectiveTtl(requested: number | undefined): number {
  return requested ?? DEFAULT_TTL_SECONDS;
}

/** Active faults and their expiry timers. */
export class FaultBook {
  private entries = new Map<string, Entry>();
  private counter = 0;

  constructor(
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an applied fault; `undo` runs on expiry, clear, reset or shutdown. */
  add(kind: FaultKind, target: string, params: Record<string, unknown>, ttlSeconds: number, undo: (reason: UndoReason) => Promise<void>): ActiveFault {
    const key = `${kind}:${target}`;
    const previous = this.entries.get(key);
    if (previous) clearTimeout(previous.timer);
    const started = this.now();
    const fault: ActiveFault = {
      id: `f${++this.counter}`,
      kind,
      target,
      params,
      ttlSeconds,
      startedAt: new Date(started).toISOString(),
      expiresAt: new Date(started + ttlSeconds * 1000).toISOString(),
    };
    const timer = setTimeout(() => void this.remove(kind, target, "expired"), ttlSeconds * 1000);
    timer.unref();
    this.entries.set(key, { fault, timer, undo });
    return fault;
  }

  /** Undoes and forgets one fault; false when there was none. */
  async remove(kind: FaultKind, target: string, reason: UndoReason = "cleared"): Promise<boolean> {
    const key = `${kind}:${target}`;
    const entry = this.entries.get(key);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.entries.delete(key);
    try {
      await entry.undo(reason);
      this.log(`faults: ${key} undone (${reason})`);
    } catch (err) {
      this.log(`faults: undoing ${key} failed (${reason}): ${(err as Error).message}`);
    }
    return true;
  }

  /** Forgets a fault without undoing it (something else already did, e.g. a restart of the node). */
  forget(kind: FaultKind, target: string): void {
    const entry = this.entries.get(`${kind}:${target}`);
    if (entry) clearTimeout(entry.timer);
    this.entries.delete(`${kind}:${target}`);
  }

  /** Undoes every fault matching `which` (all by default); returns what was undone. */
  async clear(reason: UndoReason, which: (f: ActiveFault) => boolean = () => true): Promise<ActiveFault[]> {
    const matching = [...this.entries.values()].map((e) => e.fault).filter(which);
    for (const f of matching) await this.remove(f.kind, f.target, reason);
    return matching;
  }

  has(kind: FaultKind, target: string): boolean {
    return this.entries.has(`${kind}:${target}`);
  }

  /** Active faults, soonest expiry first. */
  list(): ActiveFault[] {
    return [...this.entries.values()].map((e) => e.fault).sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  }
}
