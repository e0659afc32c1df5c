/**
 * Records this replica handed to the store's writer that the store may not hold yet. A list
 * served from the store merges them in, so a replica always reads its own writes (a run's step
 * saved a few milliseconds ago, an incident just opened). Bounded: a save the writer dropped
 * (its buffer full while the store was down) must not stay here forever. Pure.
 */
type Id = string | number;

export class PendingRecords<T extends { id: Id }> {
  private readonly items = new Map<Id, { item: T; token: number }>();
  private next = 0;

  constructor(private readonly max = 5000) {}

  /** Marks these as queued; the token says which save wrote them (`done`). */
  add(items: T[]): number {
    const token = ++this.next;
    for (const item of items) {
      // Re-inserted so the newest are kept when the bound is reached.
      this.items.delete(item.id);
      this.items.set(item.id, { item, token });
    }
    for (const id of this.items.keys()) {
      if (this.items.size <= this.max) break;
      this.items.delete(id);
    }
    return token;
  }

  /** The save with this token is in the store; an item queued again since (a newer version) stays. */
  done(token: number): void {
    for (const [id, p] of this.items) if (p.token === token) this.items.delete(id);
  }

  list(): T[] {
    return [...this.items.values()].map((p) => p.item);
  }
}

/** The store's records with the pending ones laid over them (same id: the pending one is newer). */
export function mergePending<T extends { id: Id }>(stored: T[], pending: T[]): T[] {
  if (!pending.length) return stored;
  const byId = new Map(stored.map((x) => [x.id, x]));
  for (const p of pending) byId.set(p.id, p);
  return [...byId.values()];
}
