import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DelayQueue, directionDelay } from "./delay-queue";

describe("DelayQueue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("delivers at once when there is no delay and nothing waits", () => {
    const out: string[] = [];
    const q = new DelayQueue((c) => out.push(c.toString()));
    q.push(Buffer.from("a"), 0);
    expect(out).toEqual(["a"]);
  });

  it("holds a chunk for its delay", () => {
    const out: string[] = [];
    const q = new DelayQueue((c) => out.push(c.toString()));
    q.push(Buffer.from("a"), 50);
    vi.advanceTimersByTime(49);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual(["a"]);
  });

  it("never reorders: a shorter delay waits for the chunk ahead", () => {
    const out: string[] = [];
    const q = new DelayQueue((c) => out.push(c.toString()));
    q.push(Buffer.from("a"), 80);
    q.push(Buffer.from("b"), 10);
    q.push(Buffer.from("c"), 0);
    vi.advanceTimersByTime(79);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual(["a", "b", "c"]);
  });

  it("a zero-delay chunk behind waiting ones queues instead of overtaking", () => {
    const out: string[] = [];
    const q = new DelayQueue((c) => out.push(c.toString()));
    q.push(Buffer.from("a"), 30);
    vi.advanceTimersByTime(40);
    q.push(Buffer.from("b"), 0);
    expect(out).toEqual(["a", "b"]);
  });

  it("clear drops waiting chunks", () => {
    const out: string[] = [];
    const q = new DelayQueue((c) => out.push(c.toString()));
    q.push(Buffer.from("a"), 30);
    q.clear();
    vi.advanceTimersByTime(100);
    expect(out).toEqual([]);
    expect(q.pending).toBe(0);
  });
});

describe("directionDelay", () => {
  it("splits the round trip across both directions", () => {
    expect(directionDelay(100, 0)).toBe(50);
  });
  it("spreads jitter over ± half the jitter and never goes negative", () => {
    expect(directionDelay(100, 40, () => 0)).toBe(30);
    expect(directionDelay(100, 40, () => 1)).toBe(70);
    expect(directionDelay(10, 100, () => 0)).toBe(0);
  });
});
