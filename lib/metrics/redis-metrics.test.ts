import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseInfo } from "../redis/info";
import type { Snapshot } from "../snapshot/types";
import { metricsRegistry } from "./exposition";

const fixture = fs.readFileSync(path.join(import.meta.dirname, "../redis/fixtures/info-master-7.0.15.txt"), "utf8");
const info = parseInfo(
  `${fixture}\n# Commandstats\ncmdstat_get:calls=12,usec=30,usec_per_call=2.50,rejected_calls=1,failed_calls=0\ncmdstat_config|get:calls=3,usec=1500000,usec_per_call=500000.00,rejected_calls=0,failed_calls=2\n`,
);
const node = {
  id: "redis-a",
  addr: "127.0.0.1:1",
  up: true,
  role: "master",
  usedMemory: 1,
  maxmemory: 2,
  evictedKeys: 0,
  expiredKeys: 0,
  keyspaceHits: 0,
  keyspaceMisses: 0,
  totalCommands: 99,
  connectedClients: 1,
};
const snapshot = {
  layers: [],
  redis: { nodes: [node, { ...node, id: "redis-b", addr: "127.0.0.1:2", up: false }], available: true },
  sentinel: { sentinels: [], reachable: 0, quorum: null, failoverInProgress: false, history: [] },
  alerts: [],
  tick: { ms: 1000, durationMs: 5 },
} as unknown as Snapshot;

describe("exporter-style Redis metrics", () => {
  it("per command, per db and the byte counters come from the node's last INFO, with the exporter's types and labels", async () => {
    const text = await metricsRegistry(() => [
      { snapshot: () => snapshot, runs: () => [], tickErrors: () => 0, deployment: "d", nodeInfo: (id) => (id === "redis-a" ? info : null) },
    ]).metrics();
    expect(text).toContain("# TYPE redis_commands_total counter");
    expect(text).toContain('redis_commands_total{node="redis-a",addr="127.0.0.1:1",cmd="get",deployment="d"} 12');
    expect(text).toContain('redis_commands_duration_seconds_total{node="redis-a",addr="127.0.0.1:1",cmd="config|get",deployment="d"} 1.5');
    expect(text).toContain('redis_commands_failed_calls_total{node="redis-a",addr="127.0.0.1:1",cmd="config|get",deployment="d"} 2');
    expect(text).toContain("# TYPE redis_db_keys gauge");
    expect(text).toContain('redis_db_keys{node="redis-a",addr="127.0.0.1:1",db="db0",deployment="d"} 200');
    expect(text).toContain('redis_db_keys_expiring{node="redis-a",addr="127.0.0.1:1",db="db0",deployment="d"} 200');
    expect(text).toMatch(/^redis_net_input_bytes_total\{node="redis-a",addr="127.0.0.1:1",deployment="d"\} [1-9]\d*$/m);
    expect(text).toContain("# TYPE redis_net_output_bytes_total counter");
    expect(text).toContain('redis_commands_processed_total{node="redis-a",addr="127.0.0.1:1",deployment="d"} 99');
    expect(text).toMatch(/^redis_blocked_clients\{node="redis-a",addr="127.0.0.1:1",deployment="d"\} 0$/m);
    // A node that is down has no INFO: none of its per-command lines are invented.
    expect(text).not.toMatch(/redis_commands_total\{node="redis-b"/);
  });
});
