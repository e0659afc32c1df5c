import { describe, expect, it } from "vitest";
import { RingBuffer } from "./ring-buffer";

describe("RingBuffer", () => {
  it("keeps the newest items in order and never grows past capacity", () => {
    const b = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) b.push(i);
    expect(b.size).toBe(3);
    expect(b.toArray()).toEqual([5, 6, 7]);
    expect(b.last()).toBe(7);
  });
  it("is empty at first", () => {
    const b = new RingBuffer<number>(2);
    expect(b.toArray()).toEqual([]);
    expect(b.last()).toBeUndefined();
  });
});
