import { describe, expect, it } from "vitest";
import { byteTicks, chartWindow } from "./node-metrics";

const MB = 1024 ** 2;

describe("byteTicks", () => {
  it("ticks memory at round binary sizes, covering the maximum", () => {
    expect(byteTicks(67_126_560)).toEqual([0, 16 * MB, 32 * MB, 48 * MB, 64 * MB, 80 * MB]);
    expect(byteTicks(3 * MB)).toEqual([0, MB, 2 * MB, 3 * MB]);
    expect(byteTicks(0)).toEqual([0]);
  });
});

describe("chartWindow", () => {
  const history = (from: string, to: string, first: string | null) =>
    ({ from, to, nodes: { a: first ? [{ t: Date.parse(first) }] : [] } }) as unknown as Parameters<typeof chartWindow>[0];
  it("spans the chosen range when history covers it", () => {
    expect(chartWindow(history("2026-01-01T10:00:00Z", "2026-01-01T10:05:00Z", "2026-01-01T09:00:00Z"))).toEqual({
      from: Date.parse("2026-01-01T10:00:00Z"),
      to: Date.parse("2026-01-01T10:05:00Z"),
      clipped: false,
    });
  });
  it("starts when the console started, but never narrower than a minute", () => {
    expect(chartWindow(history("2026-01-01T10:00:00Z", "2026-01-01T10:05:00Z", "2026-01-01T10:03:00Z"))).toMatchObject({
      from: Date.parse("2026-01-01T10:03:00Z"),
      clipped: true,
    });
    expect(chartWindow(history("2026-01-01T10:00:00Z", "2026-01-01T10:05:00Z", "2026-01-01T10:04:50Z")).from).toBe(Date.parse("2026-01-01T10:04:00Z"));
  });
});
