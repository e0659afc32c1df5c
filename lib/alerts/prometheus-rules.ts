/**
 * The console's alert rules as a Prometheus alerting rules file over redis_exporter's metric
 * names, thresholds from config, so the same rules can page when the console is not open.
 * Pure; the YAML is written by hand (every string JSON-quoted, which YAML reads as-is).
 */
import type { ThresholdConfig } from "../config/schema";
import { ALERT_RULES, ALERT_WINDOW_SECONDS, MIN_LOOKUPS_FOR_MISS_RATIO, type AlertSeverity } from "./rules";
import { CLUSTER_PROMQL } from "./cluster-rules";

export interface PrometheusRule {
  alert: string;
  expr: string;
  /** How long the condition must hold: one bad scrape must not page. */
  for: string;
  severity: AlertSeverity;
  summary: string;
  description: string;
}

const W = `${ALERT_WINDOW_SECONDS}s`;

/** PromQL per console rule; the exporter reports latest_fork_usec as redis_latest_fork_seconds. */
function expressions(t: ThresholdConfig, masterName: string): Record<string, { expr: string; for: string; summary: string }> {
  const master = /^[A-Za-z0-9_.:-]+$/.test(masterName) ? `{master_name="${masterName}"}` : "";
  const lookups = `(rate(redis_keyspace_hits_total[${W}]) + rate(redis_keyspace_misses_total[${W}]))`;
  return {
    redis_up: { expr: "redis_up == 0", for: "30s", summary: "Redis {{ $labels.instance }} is down" },
    // The community's RedisTooManyMasters; the console also fires on a master the sentinels do not name.
    redis_too_many_masters: {
      expr: 'count(redis_instance_info{role="master"}) > 1',
      for: "0s",
      summary: "{{ $value }} Redis nodes answer role:master at once (split brain)",
    },
    redis_connected_clients: {
      expr: `redis_connected_clients > ${t.connectedClients}`,
      for: "2m",
      summary: "{{ $labels.instance }} has {{ $value }} clients connected",
    },
    redis_memory_used_ratio: {
      expr: `redis_memory_used_bytes / (redis_memory_max_bytes > 0) > ${t.memoryUsedRatio}`,
      for: "1m",
      summary: "{{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory",
    },
    redis_keyspace_miss_ratio: {
      expr: `(rate(redis_keyspace_misses_total[${W}]) / ${lookups} > ${t.missRatio}) and ${lookups} * ${ALERT_WINDOW_SECONDS} >= ${MIN_LOOKUPS_FOR_MISS_RATIO}`,
      for: "5m",
      summary: "{{ $labels.instance }} misses {{ $value | humanizePercentage }} of lookups",
    },
    redis_latest_fork_seconds: {
      expr: `redis_latest_fork_seconds > ${t.forkSeconds}`,
      for: "0s",
      summary: "{{ $labels.instance }}'s latest fork took {{ $value }} s",
    },
    redis_replication_link_down: {
      expr: 'redis_master_link_up == 0 or (redis_connected_slaves < 1 and on (instance) redis_instance_info{role="master"})',
      for: "1m",
      summary: "{{ $labels.instance }}: replication link down or no replica",
    },
    redis_replication_lag: {
      expr: `redis_connected_slave_lag_seconds > ${t.replicationLagSeconds}`,
      for: "1m",
      summary: "{{ $labels.instance }}: replica {{ $labels.slave_ip }}:{{ $labels.slave_port }} is {{ $value }} s behind",
    },
    sentinel_quorum: {
      expr: `redis_sentinel_master_ckquorum_status${master} == 0`,
      for: "30s",
      summary: "Sentinel {{ $labels.instance }} cannot reach quorum for {{ $labels.master_name }}",
    },
    redis_layer_address_replica: {
      expr: "rrc_redis_layer_address_writable == 0",
      for: "30s",
      summary: "The layers' Redis address points to a replica: writes fail with READONLY",
    },
    redis_persistence_failing: {
      expr: "redis_aof_last_write_status == 0 or redis_rdb_last_bgsave_status == 0",
      for: "0s",
      summary: "{{ $labels.instance }}: AOF write or RDB save failing",
    },
    redis_aof_delayed_fsync: {
      expr: `delta(redis_aof_delayed_fsync[${W}]) > 0`,
      for: "0s",
      summary: "{{ $labels.instance }}: fsync falling behind appendfsync everysec",
    },
    ...Object.fromEntries(Object.entries(CLUSTER_PROMQL).map(([rule, e]) => [rule, { ...e, expr: e.expr.replace("THRESHOLD", String(t.memoryUsedRatio)) }])),
  };
}

/** Every console rule as a Prometheus rule; throws if a rule has no PromQL (a test guards that). */
export function prometheusRules(t: ThresholdConfig, masterName: string): PrometheusRule[] {
  const exprs = expressions(t, masterName);
  return ALERT_RULES.map((r) => {
    const e = exprs[r.rule];
    if (!e) throw new Error(`alert rule ${r.rule} has no Prometheus expression`);
    return { alert: r.rule, expr: e.expr, for: e.for, severity: r.severity, summary: e.summary, description: `${r.meaning} Condition: ${r.condition(t)}.` };
  });
}

const q = (s: string) => JSON.stringify(s);

/** The rules file (`promtool check rules` accepts it). */
export function prometheusRulesYaml(t: ThresholdConfig, masterName: string, deployment: string): string {
  const lines = [
    `# Alerting rules for the Redis behind the gateway platform (deployment ${q(deployment)}),`,
    "# from the Redis resilience guide, over oliver006/redis_exporter metric names.",
    "# Generated by the Redis Resilience Console from its configured thresholds.",
    "groups:",
    "  - name: redis-resilience-guide",
    "    rules:",
  ];
  for (const r of prometheusRules(t, masterName)) {
    lines.push(
      `      - alert: ${r.alert}`,
      `        expr: ${q(r.expr)}`,
      `        for: ${r.for}`,
      "        labels:",
      `          severity: ${r.severity}`,
      "        annotations:",
      `          summary: ${q(r.summary)}`,
      `          description: ${q(r.description)}`,
    );
  }
  return lines.join("\n") + "\n";
}

export interface AlertRuleListing {
  windowSeconds: number;
  rules: { rule: string; severity: AlertSeverity; meaning: string; condition: string; prometheus: { expr: string; for: string } }[];
}

/** The rules with their configured conditions and PromQL, for the console's rules panel. */
export function alertRuleListing(t: ThresholdConfig, masterName: string): AlertRuleListing {
  const prom = new Map(prometheusRules(t, masterName).map((r) => [r.alert, r]));
  return {
    windowSeconds: ALERT_WINDOW_SECONDS,
    rules: ALERT_RULES.map((r) => ({
      rule: r.rule,
      severity: r.severity,
      meaning: r.meaning,
      condition: r.condition(t),
      prometheus: { expr: prom.get(r.rule)!.expr, for: prom.get(r.rule)!.for },
    })),
  };
}
