import { describe, expect, it } from "vitest";
import { LatencyWindow, percentile } from "./latency-window";

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it("picks the value at the rank", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });
  it("handles tiny and empty inputs", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2], 0)).toBe(1);
  });
});

describe("LatencyWindow", () => {
  it("summarizes only the samples inside the window", () => {
    const w = new LatencyWindow(1000);
    w.add(0, 500);
    for (let i = 1; i <= 10; i++) w.add(1500 + i, i);
    const s = w.summary(2000);
    expect(s.samples).toBe(10);
    expect(s.max).toBe(10);
    expect(s.p50).toBe(5);
  });
  it("bounds memory to maxSamples, dropping the oldest", () => {
    const w = new LatencyWindow(10_000, 3);
    [100, 1, 2, 3].forEach((ms, i) => w.add(i, ms));
    expect(w.summary(10).max).toBe(3);
  });
  it("reset empties it", () => {
    const w = new LatencyWindow();
    w.add(1, 1);
    w.reset();
    expect(w.summary(2)).toEqual({ samples: 0, p50: null, p95: null, p99: null, max: null });
  });
});
