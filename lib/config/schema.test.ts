import { describe, expect, it } from "vitest";
import { ConsoleConfigSchema, describeConfigError } from "./schema";

describe("ConsoleConfigSchema", () => {
  it("fills defaults for a minimal external config", () => {
    const cfg = ConsoleConfigSchema.parse({ source: "external", redis: { nodes: [{ id: "a", host: "10.0.0.1", port: 6379 }] } });
    expect(cfg.tickMs).toBe(1000);
    expect(cfg.thresholds.connectedClients).toBe(500);
    expect(cfg.thresholds.memoryUsedRatio).toBe(0.8);
    expect(cfg.redis.masterName).toBe("mymaster");
    expect(cfg.timeouts.redisMs).toBeLessThan(cfg.tickMs);
  });

  it("names the bad field", () => {
    const res = ConsoleConfigSchema.safeParse({ source: "external", redis: { nodes: [{ id: "a", host: "x", port: 70000 }] }, tickMs: 5 });
    expect(res.success).toBe(false);
    const msg = describeConfigError(res.error!);
    expect(msg).toContain("redis.nodes.0.port");
    expect(msg).toContain("tickMs");
  });

  it("rejects an unknown layer id", () => {
    const res = ConsoleConfigSchema.safeParse({ source: "external", redis: {}, layers: [{ id: "L9", url: "http://x" }] });
    expect(res.success).toBe(false);
    expect(describeConfigError(res.error!)).toContain("layers.0.id");
  });

  it("takes a chaos block on an external Redis Cluster, and refuses a fault proxy there naming why", () => {
    const cluster = { source: "external", redis: { cluster: { seeds: [{ host: "10.0.0.1", port: 7000 }] } } };
    expect(ConsoleConfigSchema.safeParse({ ...cluster, chaos: { allow: true, username: "rrc-chaos" } }).success).toBe(true);
    const res = ConsoleConfigSchema.safeParse({
      ...cluster,
      chaos: { allow: true, username: "rrc-chaos", proxy: { listen: { host: "127.0.0.1", port: 7100 }, upstream: "sentinel" } },
    });
    expect(res.success).toBe(false);
    expect(describeConfigError(res.error!)).toMatch(/^chaos\.proxy: a fault proxy cannot sit between cluster clients and one shard.*remove chaos\.proxy/);
  });
});
