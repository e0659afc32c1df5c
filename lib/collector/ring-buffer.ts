/** A fixed-capacity buffer: memory stays bounded however long the console runs. */
export class RingBuffer<T> {
  private items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  get size(): number {
    return this.items.length;
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  last(): T | undefined {
    if (!this.items.length) return undefined;
    return this.items[(this.start + this.items.length - 1) % this.items.length];
  }
}
