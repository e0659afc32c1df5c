import { describe, expect, it } from "vitest";
import type { PromMetric } from "./queries";
import { instanceAddr, seriesOrigin, toPrometheusNodeSeries, type PromSeries } from "./series";

const NODES = [
  { id: "redis-a", addr: "127.0.0.1:6400" },
  { id: "redis-b", addr: "127.0.0.1:6401" },
];
const WINDOW = { startMs: 1000_000, endMs: 1002_000, stepMs: 1000 };
const at = (values: number[]): [number, string][] => values.map((v, i) => [1000 + i, String(v)]);
const consoleSeries = (addr: string, values: number[], extra: Record<string, string> = {}): PromSeries => ({
  metric: { addr, node: "x", deployment: "sandbox", instance: "127.0.0.1:3000", ...extra },
  values: at(values),
});
const exporterSeries = (instance: string, values: number[], extra: Record<string, string> = {}): PromSeries => ({
  metric: { instance, job: "redis", ...extra },
  values: at(values),
});

function results(parts: Partial<Record<PromMetric, PromSeries[]>>): Record<PromMetric, PromSeries[]> {
  return {
    up: [],
    usedMemory: [],
    maxmemory: [],
    evictedPerSec: [],
    expiredPerSec: [],
    hitsPerSec: [],
    missesPerSec: [],
    connectedClients: [],
    opsPerSec: [],
    fork: [],
    fragmentationRatio: [],
    ...parts,
  };
}

describe("instanceAddr and seriesOrigin", () => {
  it("reads host:port out of an exporter target", () => {
    expect(instanceAddr("redis://127.0.0.1:6400")).toBe("127.0.0.1:6400");
    expect(instanceAddr("rediss://user@redis.prod:6380/0")).toBe("redis.prod:6380");
    expect(instanceAddr("127.0.0.1:6400")).toBe("127.0.0.1:6400");
  });
  it("takes the console's series only for its own deployment", () => {
    expect(seriesOrigin({ addr: "h:1", deployment: "a" }, "h:1", "a")).toBe("console");
    expect(seriesOrigin({ addr: "h:1", deployment: "b" }, "h:1", "a")).toBeNull();
    expect(seriesOrigin({ instance: "redis://h:1" }, "h:1", "a")).toBe("redis_exporter");
    expect(seriesOrigin({ instance: "h:2" }, "h:1", "a")).toBeNull();
  });
});

describe("toPrometheusNodeSeries", () => {
  it("prefers the exporter's series of a node and falls back to the console's", () => {
    const r = toPrometheusNodeSeries(
      results({
        usedMemory: [
          consoleSeries("127.0.0.1:6400", [1, 1, 1]),
          exporterSeries("redis://127.0.0.1:6400", [2, 2, 2]),
          consoleSeries("127.0.0.1:6401", [3, 3, 3]),
        ],
        maxmemory: [consoleSeries("127.0.0.1:6400", [4, 4, 4])],
      }),
      NODES,
      "sandbox",
      WINDOW,
    );
    expect(r.origins).toEqual({ "redis-a": "redis_exporter", "redis-b": "console" });
    expect(r.nodes["redis-a"].map((p) => p.usedMemory)).toEqual([2, 2, 2]);
    expect(r.nodes["redis-a"][0].usedRatio).toBe(0.5);
    expect(r.nodes["redis-b"].map((p) => p.usedMemory)).toEqual([3, 3, 3]);
  });

  it("makes a gap of a missing sample or redis_up 0, never a zero", () => {
    const used = consoleSeries("127.0.0.1:6400", [5, 5]);
    used.values = [used.values[0], [1002, "5"]];
    const r = toPrometheusNodeSeries(results({ usedMemory: [used], up: [consoleSeries("127.0.0.1:6400", [1, 1, 0])] }), NODES.slice(0, 1), "sandbox", WINDOW);
    expect(r.nodes["redis-a"].map((p) => [p.up, p.usedMemory])).toEqual([
      [true, 5],
      [false, null],
      [false, null],
    ]);
  });

  it("turns hit and miss rates into ratios, and a usec fork metric into seconds", () => {
    const r = toPrometheusNodeSeries(
      results({
        usedMemory: [consoleSeries("127.0.0.1:6400", [1, 1, 1])],
        hitsPerSec: [consoleSeries("127.0.0.1:6400", [3, 0, 1])],
        missesPerSec: [consoleSeries("127.0.0.1:6400", [1, 0, 1])],
        fork: [exporterSeries("127.0.0.1:6400", [2500, 2500, 2500], { __name__: "redis_latest_fork_usec" })],
      }),
      NODES.slice(0, 1),
      "sandbox",
      WINDOW,
    );
    const points = r.nodes["redis-a"];
    expect(points.map((p) => p.missRatio)).toEqual([0.25, null, 0.5]);
    expect(points[0].hitRatio).toBe(0.75);
    expect(points[0].forkSeconds).toBeCloseTo(0.0025);
  });
});
