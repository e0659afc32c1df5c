/**
 * The PromQL behind each chart, over redis_exporter's metric names. A node's series is found
 * two ways: by `addr` (the console's own /api/metrics, which also carries `deployment`) or by
 * `instance` (a real redis_exporter target: `redis://host:port`, `host:port`). Pure.
 */

/** What the Memory page charts, as Prometheus is asked for it. */
export const PROM_METRICS = [
  "up",
  "usedMemory",
  "maxmemory",
  "evictedPerSec",
  "expiredPerSec",
  "hitsPerSec",
  "missesPerSec",
  "connectedClients",
  "opsPerSec",
  "fork",
  "fragmentationRatio",
] as const;
export type PromMetric = (typeof PROM_METRICS)[number];

/** RE2 with every metacharacter escaped: an address is matched literally. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Label matchers that select the nodes' series, from the console (addr + deployment) and from an exporter (instance). */
export function nodeSelectors(addrs: string[], deployment: string): { console: string; exporter: string } {
  // Backtick strings in PromQL take no escapes; a value holding a backtick could not be quoted, and no address has one.
  const usable = addrs.filter((a) => !a.includes("`"));
  const alternatives = usable.map(literal).join("|") || "[^\\s\\S]";
  const dep = deployment.includes("`") ? "" : `, deployment=\`${deployment}\``;
  return {
    console: `addr=~\`${alternatives}\`${dep}`,
    exporter: `addr="", instance=~\`(?:rediss?://)?(?:[^@/]*@)?(?:${alternatives})/?\``,
  };
}

/** One PromQL expression per chart metric; counters become per-second rates over `rateWindowSeconds`. */
export function nodeQueries(addrs: string[], deployment: string, rateWindowSeconds: number): Record<PromMetric, string> {
  const sel = nodeSelectors(addrs, deployment);
  const w = `${rateWindowSeconds}s`;
  const both = (expr: (matchers: string) => string) => `${expr(sel.console)} or ${expr(sel.exporter)}`;
  const gauge = (name: string) => both((m) => `${name}{${m}}`);
  const rate = (name: string) => both((m) => `rate(${name}{${m}}[${w}])`);
  return {
    up: gauge("redis_up"),
    usedMemory: gauge("redis_memory_used_bytes"),
    maxmemory: gauge("redis_memory_max_bytes"),
    evictedPerSec: rate("redis_evicted_keys_total"),
    expiredPerSec: rate("redis_expired_keys_total"),
    hitsPerSec: rate("redis_keyspace_hits_total"),
    missesPerSec: rate("redis_keyspace_misses_total"),
    connectedClients: gauge("redis_connected_clients"),
    // The console exposes Redis's instantaneous_ops_per_sec under its own name (the exporter's fails
    // promtool's lint); redis_exporter's equivalent is the rate of commands processed.
    opsPerSec: `rrc_redis_instantaneous_ops_per_second{${sel.console}} or rate(redis_commands_processed_total{${sel.exporter}}[${w}])`,
    // Newer exporters report seconds, older ones microseconds; the series' name says which.
    fork: both((m) => `{__name__=~"redis_latest_fork_seconds|redis_latest_fork_usec", ${m}}`),
    fragmentationRatio: gauge("redis_mem_fragmentation_ratio"),
  };
}

/** The query step for a range: about 720 points, never finer than a second. */
export function stepFor(minutes: number): number {
  return Math.max(1, Math.ceil((minutes * 60) / 720));
}

/** A rate window that spans several scrapes at any step: at least a minute. */
export function rateWindowFor(stepSeconds: number): number {
  return Math.max(60, stepSeconds * 2);
}
