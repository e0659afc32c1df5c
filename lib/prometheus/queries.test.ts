import { describe, expect, it } from "vitest";
import { nodeQueries, nodeSelectors, rateWindowFor, stepFor } from "./queries";

describe("nodeSelectors", () => {
  it("matches the console's series by addr and deployment, an exporter's by instance, addresses literally", () => {
    const s = nodeSelectors(["127.0.0.1:6400", "10.0.0.2:6379"], "prod");
    expect(s.console).toBe("addr=~`127\\.0\\.0\\.1:6400|10\\.0\\.0\\.2:6379`, deployment=`prod`");
    expect(s.exporter).toBe('addr="", instance=~`(?:rediss?://)?(?:[^@/]*@)?(?:127\\.0\\.0\\.1:6400|10\\.0\\.0\\.2:6379)/?`');
  });
});

describe("nodeQueries", () => {
  it("asks for rates of counters over the window, and both sources of every metric", () => {
    const q = nodeQueries(["h:1"], "d", 60);
    expect(q.evictedPerSec).toBe(
      'rate(redis_evicted_keys_total{addr=~`h:1`, deployment=`d`}[60s]) or rate(redis_evicted_keys_total{addr="", instance=~`(?:rediss?://)?(?:[^@/]*@)?(?:h:1)/?`}[60s])',
    );
    expect(q.usedMemory).toMatch(/^redis_memory_used_bytes\{addr=~`h:1`.* or redis_memory_used_bytes\{addr="", instance=~/);
    expect(q.fork).toContain("redis_latest_fork_seconds|redis_latest_fork_usec");
    expect(q.opsPerSec).toMatch(
      /^rrc_redis_instantaneous_ops_per_second\{addr=~`h:1`, deployment=`d`\} or rate\(redis_commands_processed_total\{addr="", instance=~/,
    );
  });
});

describe("steps", () => {
  it("keeps about 720 points and a rate window of at least a minute", () => {
    expect(stepFor(1)).toBe(1);
    expect(stepFor(180)).toBe(15);
    expect(stepFor(1440)).toBe(120);
    expect(rateWindowFor(1)).toBe(60);
    expect(rateWindowFor(120)).toBe(240);
  });
});
