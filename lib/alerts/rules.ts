/**
 * The guide's alert rules (plus the ones its failure modes imply), evaluated on each snapshot.
 * Pure: thresholds come from config; counter rules compare with the start of a look-back window
 * (see alert-window.ts); the collector tracks since-when and the timeline.
 */
import type { ThresholdConfig } from "../config/schema";
import { memoryUsedRatio } from "../snapshot/rules";
import { configBlindness } from "../redis/connection-error";
import type { LayerAddressView, NodeSnapshot, SentinelSnapshot } from "../snapshot/types";
import type { ClusterSnapshot } from "../snapshot/cluster-types";
import { CLUSTER_RULES } from "./cluster-rules";

/** Counter rules look this far back, so one quiet or busy second cannot make them flap. */
export const ALERT_WINDOW_SECONDS = 120;
/** Below this many lookups in the window a miss ratio is noise (1 miss of 1 is not thrashing). */
export const MIN_LOOKUPS_FOR_MISS_RATIO = 20;

/** A node's counters at one instant, as the look-back window keeps them. */
export interface NodeCounters {
  at: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  aofDelayedFsync: number;
  uptimeSeconds: number;
}

export interface AlertInput {
  nodes: NodeSnapshot[];
  sentinel: SentinelSnapshot;
  /** Per node id, its counters at the start of the window since its last restart (absent: no reading yet). */
  windowStart: Record<string, NodeCounters>;
  /** The layers' Redis address as ROLE saw it; absent without a layer address. */
  layerAddress?: LayerAddressView;
  /** A Redis Cluster's state; absent on any other deployment. */
  cluster?: ClusterSnapshot;
}

export type AlertSeverity = "page" | "warn" | "info";

export interface AlertEvaluation {
  rule: string;
  severity: AlertSeverity;
  firing: boolean;
  value: number | null;
  summary: string;
  /** Why the rule does not apply to this deployment (never firing, and not "ok" either). */
  notApplicable?: string;
}

/** What a rule's evaluation says: firing or not, or not applicable with the reason. */
type RuleResult = { firing: boolean; value: number | null; summary: string; notApplicable?: string };

const NO_SENTINEL = "no Sentinel in this deployment (no automatic failover)";
const notApplicable = (reason: string): RuleResult => ({ firing: false, value: null, summary: `not applicable: ${reason}`, notApplicable: reason });

export interface AlertRule {
  rule: string;
  severity: AlertSeverity;
  /** What the guide says it means, shown beside the alert. */
  meaning: string;
  /** The condition in words, with the configured threshold. */
  condition(t: ThresholdConfig): string;
  evaluate(input: AlertInput, t: ThresholdConfig): RuleResult;
}

const up = (nodes: NodeSnapshot[]) => nodes.filter((n) => n.up);
const master = (nodes: NodeSnapshot[]) => nodes.find((n) => n.up && n.role === "master") ?? null;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
/** The node with the highest value (ties: first), or null. */
function worst<T>(items: T[], value: (x: T) => number | null): { item: T; value: number } | null {
  let best: { item: T; value: number } | null = null;
  for (const item of items) {
    const v = value(item);
    if (v !== null && (best === null || v > best.value)) best = { item, value: v };
  }
  return best;
}

const NOT_A_CLUSTER_RULE = "a Redis Cluster has a master per shard";

/**
 * Two masters at once: every node answering role:master besides the one the sentinels name
 * (or, without a sentinel's word, any second one). A sentinel address that names no watched node
 * (announced host names, NAT) cannot be compared, so it alone never fires.
 */
function tooManyMasters(nodes: NodeSnapshot[], sentinel: SentinelSnapshot): RuleResult {
  const masters = up(nodes).filter((n) => n.role === "master");
  const named = !sentinel.blind && !sentinel.none && sentinel.master.addr ? (nodes.find((n) => n.addr === sentinel.master.addr) ?? null) : null;
  const unnamed = named ? masters.filter((n) => n.id !== named.id) : [];
  const two = masters.length > 1 || unnamed.length > 0;
  // While the sentinels reconfigure, the promoted replica and the old master both answer master for a moment: that is the failover itself.
  const firing = two && !sentinel.failoverInProgress;
  if (two && !firing)
    return { firing, value: masters.length, summary: `${masters.map((n) => n.id).join(" and ")} answer role:master while the sentinels fail over` };
  if (!firing) return { firing, value: masters.length, summary: masters.length ? `one master: ${masters[0].id}` : "no node answers role:master" };
  const who = masters.map((n) => n.id).join(" and ");
  const sentinelsSay = named
    ? `; the sentinels name ${named.id}`
    : sentinel.master.addr && !sentinel.blind
      ? `; the sentinels name ${sentinel.master.addr}`
      : "";
  return {
    firing,
    value: masters.length,
    summary: masters.length > 1 ? `${masters.length} nodes answer role:master: ${who}${sentinelsSay}` : `${who} answers role:master${sentinelsSay}`,
  };
}

/** The guide's rules and the ones its failure modes imply. */
const GUIDE_RULES: AlertRule[] = [
  {
    rule: "redis_up",
    severity: "page",
    meaning: "All rate limiting disabled; L3 sessions fail.",
    condition: () => "no master answers",
    evaluate: ({ nodes }) => {
      const m = master(nodes);
      const blindBy = m ? null : configBlindness(nodes);
      return { firing: !m, value: m ? 1 : 0, summary: m ? `master ${m.id} up` : blindBy ? `no master the console can see: ${blindBy}` : "no reachable master" };
    },
  },
  {
    rule: "redis_too_many_masters",
    severity: "page",
    meaning:
      "Split brain: writes accepted by a master the sentinels do not name are lost when it is turned into a replica, and clients pinned to it read stale data.",
    condition: () => "more than one node answers role:master, or a node answers role:master while the sentinels name another watched node",
    evaluate: ({ nodes, sentinel, cluster }) => {
      // Every shard of a cluster has its own master: the cluster's rules judge its roles.
      if (cluster) return notApplicable(NOT_A_CLUSTER_RULE);
      return tooManyMasters(nodes, sentinel);
    },
  },
  {
    rule: "redis_connected_clients",
    severity: "warn",
    meaning: "Connection pool leak.",
    condition: (t) => `more than ${t.connectedClients} clients on a node`,
    evaluate: ({ nodes }, t) => {
      const top = worst(up(nodes), (n) => n.connectedClients);
      if (!top) return { firing: false, value: null, summary: "no node answers" };
      return { firing: top.value > t.connectedClients, value: top.value, summary: `${top.value} clients on ${top.item.id} (threshold ${t.connectedClients})` };
    },
  },
  {
    rule: "redis_memory_used_ratio",
    severity: "warn",
    meaning: "Approaching eviction.",
    condition: (t) => `used_memory above ${pct(t.memoryUsedRatio)} of maxmemory on a node`,
    evaluate: ({ nodes }, t) => {
      // Per node, like the exporter's per-instance series: a replica fills up too.
      const top = worst(up(nodes), memoryUsedRatio);
      if (!top) return { firing: false, value: null, summary: up(nodes).length ? "maxmemory not set (no eviction limit)" : "no node answers" };
      return {
        firing: top.value > t.memoryUsedRatio,
        value: top.value,
        summary: `${pct(top.value)} of maxmemory on ${top.item.id} (threshold ${pct(t.memoryUsedRatio)})`,
      };
    },
  },
  {
    rule: "redis_keyspace_miss_ratio",
    severity: "info",
    meaning: "Cache thrashing: investigate.",
    condition: (t) => `misses / (hits + misses) above ${pct(t.missRatio)} over ${ALERT_WINDOW_SECONDS} s`,
    evaluate: ({ nodes, windowStart }, t) => {
      const ratios = up(nodes).map((n) => {
        const base = windowStart[n.id];
        const hits = base ? n.keyspaceHits - base.keyspaceHits : -1;
        const misses = base ? n.keyspaceMisses - base.keyspaceMisses : -1;
        const lookups = hits + misses;
        return { n, lookups, ratio: hits >= 0 && misses >= 0 && lookups >= MIN_LOOKUPS_FOR_MISS_RATIO ? misses / lookups : null };
      });
      const top = worst(ratios, (r) => r.ratio);
      if (!top) {
        const seen = Math.max(0, ...ratios.map((r) => r.lookups));
        return { firing: false, value: null, summary: `too few lookups to judge (${seen} in ${ALERT_WINDOW_SECONDS} s, need ${MIN_LOOKUPS_FOR_MISS_RATIO})` };
      }
      const { n, lookups } = top.item;
      return {
        firing: top.value > t.missRatio,
        value: top.value,
        summary: `${pct(top.value)} misses of ${lookups} lookups on ${n.id} in ${ALERT_WINDOW_SECONDS} s (threshold ${pct(t.missRatio)})`,
      };
    },
  },
  {
    rule: "redis_latest_fork_seconds",
    severity: "warn",
    meaning: "RDB/AOF fork slow.",
    condition: (t) => `latest fork took more than ${t.forkSeconds} s`,
    evaluate: ({ nodes }, t) => {
      const top = worst(up(nodes), (n) => n.latestForkUsec / 1e6);
      if (!top) return { firing: false, value: null, summary: "no node answers" };
      return {
        firing: top.value > t.forkSeconds,
        value: top.value,
        summary: `latest fork ${top.value.toFixed(3)} s on ${top.item.id} (threshold ${t.forkSeconds} s)`,
      };
    },
  },
  {
    rule: "redis_replication_link_down",
    severity: "warn",
    meaning: "No in-sync replica: a failover now would lose data or have no candidate.",
    condition: () => "a replica's link to its master is down, or the master has no replica",
    evaluate: ({ nodes }) => {
      const broken = nodes.filter((n) => n.role === "replica" && (!n.up || n.masterLinkUp === false));
      const liveReplicas = nodes.filter((n) => n.up && n.role === "replica" && n.masterLinkUp !== false);
      // Only a deployment with more than one node is meant to have a replica.
      const orphan = nodes.length > 1 && !!master(nodes) && liveReplicas.length === 0;
      const firing = broken.length > 0 || orphan;
      const summary = broken.length
        ? `link down on ${broken.map((n) => n.id).join(", ")}`
        : orphan
          ? "master has no replica"
          : nodes.length > 1
            ? "replicas in sync"
            : "single node: no replica expected";
      return { firing, value: liveReplicas.length, summary };
    },
  },
  {
    rule: "redis_replication_lag",
    severity: "warn",
    meaning: "A replica behind its master: a failover now would lose the writes it has not received.",
    condition: (t) => `a replica last acknowledged its master more than ${t.replicationLagSeconds} s ago`,
    evaluate: ({ sentinel }, t) => {
      // The lag is read from Sentinel's view of its replicas.
      if (sentinel.sentinels.length === 0) return notApplicable(NO_SENTINEL);
      const linked = (sentinel.replicas ?? []).filter((r) => r.up !== false && r.linkUp !== false);
      const top = worst(linked, (r) => r.lagSeconds);
      if (!top) return { firing: false, value: null, summary: "no replica lag known" };
      const name = top.item.id ?? top.item.addr;
      return {
        firing: top.value > t.replicationLagSeconds,
        value: top.value,
        summary: `${name} ${top.value} s behind (threshold ${t.replicationLagSeconds} s)`,
      };
    },
  },
  {
    rule: "sentinel_quorum",
    severity: "page",
    meaning: "Sentinel cannot authorise a failover: a master failure would not be healed.",
    condition: () => "CKQUORUM fails on a sentinel, or fewer sentinels answer than the quorum",
    evaluate: ({ sentinel }) => {
      if (sentinel.sentinels.length === 0) return notApplicable(NO_SENTINEL);
      const bad = sentinel.sentinels.filter((s) => s.up && s.quorumOk === false);
      const firing = sentinel.blind || bad.length > 0 || (sentinel.quorum !== null && sentinel.reachable < sentinel.quorum);
      const blindBy = sentinel.blind ? configBlindness(sentinel.sentinels) : null;
      const summary = blindBy
        ? `the console cannot watch any sentinel: ${blindBy}`
        : sentinel.blind
          ? "no sentinel answers"
          : bad.length
            ? `${bad[0].id}: ${bad[0].quorumMessage}`
            : `${sentinel.reachable} sentinels reachable, quorum ${sentinel.quorum ?? "?"}`;
      return { firing, value: sentinel.reachable, summary };
    },
  },
  {
    rule: "redis_layer_address_replica",
    severity: "page",
    meaning: "The layers' Redis address points to a replica (e.g. pinned to the old master after a failover): it answers, but every write fails with READONLY.",
    condition: () => "ROLE through the layers' Redis address answers slave",
    evaluate: ({ layerAddress }) => {
      if (!layerAddress) return notApplicable("no layer address in the config (redis.layerAddress)");
      return { firing: layerAddress.state === "replica", value: layerAddress.state === "master" ? 1 : 0, summary: layerAddress.detail };
    },
  },
  {
    rule: "redis_persistence_failing",
    severity: "page",
    meaning: "AOF writes or RDB saves fail: a restart would lose data.",
    condition: () => "aof_last_write_status or rdb_last_bgsave_status is not ok",
    evaluate: ({ nodes }) => {
      const bad = up(nodes).filter((n) => n.aofLastWriteStatus !== "ok" || n.rdbLastBgsaveStatus !== "ok");
      return {
        firing: bad.length > 0,
        value: bad.length,
        summary: bad.length ? bad.map((n) => `${n.id}: aof ${n.aofLastWriteStatus}, rdb ${n.rdbLastBgsaveStatus}`).join("; ") : "aof and rdb ok",
      };
    },
  },
  {
    rule: "redis_aof_delayed_fsync",
    severity: "warn",
    meaning: "The disk cannot keep up with appendfsync everysec: the 1 s RPO is not held.",
    condition: () => `aof_delayed_fsync rose within ${ALERT_WINDOW_SECONDS} s`,
    evaluate: ({ nodes, windowStart }) => {
      const rising = up(nodes)
        .map((n) => ({ n, delta: windowStart[n.id] ? n.aofDelayedFsync - windowStart[n.id].aofDelayedFsync : 0 }))
        .filter((x) => x.delta > 0);
      const total = rising.reduce((a, x) => a + x.delta, 0);
      return {
        firing: rising.length > 0,
        value: total,
        summary: rising.length ? `${rising.map((x) => `${x.delta} on ${x.n.id}`).join(", ")} delayed fsyncs in ${ALERT_WINDOW_SECONDS} s` : "no delayed fsyncs",
      };
    },
  },
];

/** Evaluates every rule; never throws. */
const NOT_A_CLUSTER = "not a Redis Cluster";

/** The cluster rules in the common shape: not applicable without a cluster. */
const CLUSTER_ALERT_RULES: AlertRule[] = CLUSTER_RULES.map((r) => ({
  rule: r.rule,
  severity: r.severity,
  meaning: r.meaning,
  condition: r.condition,
  evaluate: ({ cluster }, t) => (cluster ? r.evaluate(cluster, t) : notApplicable(NOT_A_CLUSTER)),
}));
/** Every rule, the cluster's last (not applicable on any other deployment). */
export const ALERT_RULES: AlertRule[] = [...GUIDE_RULES, ...CLUSTER_ALERT_RULES];

export function evaluateAlerts(input: AlertInput, thresholds: ThresholdConfig): AlertEvaluation[] {
  return ALERT_RULES.map((r) => {
    try {
      return { rule: r.rule, severity: r.severity, ...r.evaluate(input, thresholds) };
    } catch (err) {
      return { rule: r.rule, severity: r.severity, firing: false, value: null, summary: `rule could not be evaluated: ${(err as Error).message}` };
    }
  });
}
