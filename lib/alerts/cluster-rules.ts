/**
 * The alert rules of a Redis Cluster (issue #21): the cluster refusing queries, slots not fully
 * served, a shard with no replica to promote, a shard's master near maxmemory. Not applicable,
 * with the reason, on a deployment that is not a cluster. Pure.
 */
import type { ThresholdConfig } from "../config/schema";
import type { ClusterSnapshot } from "../snapshot/cluster-types";
import { CLUSTER_SLOTS } from "../contract/cluster-keys";

type RuleResult = { firing: boolean; value: number | null; summary: string; notApplicable?: string };

export interface ClusterRule {
  rule: string;
  severity: "page" | "warn";
  meaning: string;
  condition(t: ThresholdConfig): string;
  evaluate(cluster: ClusterSnapshot, t: ThresholdConfig): RuleResult;
}

const pct = (r: number) => `${Math.round(r * 100)}%`;

export const CLUSTER_RULES: ClusterRule[] = [
  {
    rule: "redis_cluster_state",
    severity: "page",
    meaning: "The cluster refuses queries: every layer's Redis calls fail, on every shard.",
    condition: () => "a node that answers says cluster_state:fail (or none answers)",
    evaluate: (c) => {
      const failing = c.nodes.filter((n) => n.state === "fail");
      const answering = c.nodes.filter((n) => n.state !== null);
      if (!answering.length) return { firing: true, value: 0, summary: "no cluster node answers" };
      return failing.length
        ? { firing: true, value: 0, summary: `cluster_state:fail on ${failing.map((n) => n.id).join(", ")}` }
        : { firing: false, value: 1, summary: `cluster_state:ok on all ${answering.length} answering nodes` };
    },
  },
  {
    rule: "redis_cluster_slots_uncovered",
    severity: "page",
    meaning: "Some hash slots have no healthy master: keys on them cannot be read or written.",
    condition: () => `cluster_slots_ok below ${CLUSTER_SLOTS} (slots unassigned, pfail or fail)`,
    evaluate: (c) => {
      const bad = CLUSTER_SLOTS - c.slotsOk;
      return {
        firing: bad > 0,
        value: c.slotsOk,
        summary:
          bad > 0
            ? `${c.slotsOk} of ${CLUSTER_SLOTS} slots ok (${c.slotsPfail} pfail, ${c.slotsFail} fail, ${CLUSTER_SLOTS - c.slotsAssigned} unassigned)`
            : `all ${CLUSTER_SLOTS} slots ok`,
      };
    },
  },
  {
    rule: "redis_cluster_shard_without_replica",
    severity: "warn",
    meaning: "A shard with no online replica: its master failing would take its slots down with no promotion.",
    condition: () => "a shard has no online replica",
    evaluate: (c) => {
      const bare = c.shards.filter((s) => !s.replicas.some((r) => r.health === "online"));
      return {
        firing: bare.length > 0,
        value: bare.length,
        summary: bare.length ? `${bare.map((s) => s.name).join(", ")} without an online replica` : `every shard has an online replica`,
      };
    },
  },
  {
    rule: "redis_cluster_shard_memory_used_ratio",
    severity: "warn",
    meaning: "A shard's master approaching eviction: its keys are evicted while the others have room (a hot shard).",
    condition: (t) => `a shard's master above ${pct(t.memoryUsedRatio)} of maxmemory`,
    evaluate: (c, t) => {
      const ratios = c.shards
        .filter((s) => s.usedMemory !== null && s.maxmemory)
        .map((s) => ({ name: s.name, ratio: s.usedMemory! / s.maxmemory! }))
        .sort((a, b) => b.ratio - a.ratio);
      const top = ratios[0];
      if (!top) return { firing: false, value: null, summary: "no shard's master memory known (or maxmemory unset)" };
      return {
        firing: top.ratio > t.memoryUsedRatio,
        value: top.ratio,
        summary: `${top.name} at ${pct(top.ratio)} of maxmemory (threshold ${pct(t.memoryUsedRatio)})`,
      };
    },
  },
];

/** PromQL over redis_exporter's cluster metrics (one series per node: each exporter scrapes one). */
export const CLUSTER_PROMQL: Record<string, { expr: string; for: string; summary: string }> = {
  redis_cluster_state: { expr: "redis_cluster_state == 0", for: "30s", summary: "{{ $labels.instance }} says cluster_state:fail" },
  redis_cluster_slots_uncovered: {
    expr: `redis_cluster_slots_ok < ${CLUSTER_SLOTS}`,
    for: "30s",
    summary: "{{ $labels.instance }} sees only {{ $value }} of 16384 slots ok",
  },
  redis_cluster_shard_without_replica: {
    expr: 'redis_connected_slaves < 1 and on (instance) redis_instance_info{role="master"} and on (instance) redis_cluster_size > 0',
    for: "1m",
    summary: "Cluster master {{ $labels.instance }} has no replica",
  },
  redis_cluster_shard_memory_used_ratio: {
    expr: '(redis_memory_used_bytes / (redis_memory_max_bytes > 0) and on (instance) redis_instance_info{role="master"} and on (instance) redis_cluster_size > 0) > THRESHOLD',
    for: "1m",
    summary: "Cluster master {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory",
  },
};
