/**
 * The guide's alert rules (plus the ones its failure modes imply), evaluated on each snapshot.
 * Pure: thresholds come from config; the collector tracks since-when and the timeline.
 */
import type { ThresholdConfig } from "../config/schema";
import { missRatio } from "../history/rates";
import type { NodeSnapshot, SentinelSnapshot } from "../snapshot/types";

export interface AlertInput {
  nodes: NodeSnapshot[];
  /** The same nodes one tick earlier, for rules over counter deltas. */
  prevNodes: NodeSnapshot[] | null;
  sentinel: SentinelSnapshot;
}

export interface AlertEvaluation {
  rule: string;
  severity: "page" | "warn" | "info";
  firing: boolean;
  value: number | null;
  summary: string;
}

export interface AlertRule {
  rule: string;
  severity: AlertEvaluation["severity"];
  /** What the guide says it means, shown beside the alert. */
  meaning: string;
  evaluate(input: AlertInput, t: ThresholdConfig): { firing: boolean; value: number | null; summary: string };
}

const master = (nodes: NodeSnapshot[]) => nodes.find((n) => n.up && n.role === "master") ?? null;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

export const ALERT_RULES: AlertRule[] = [
  {
    rule: "redis_up",
    severity: "page",
    meaning: "All rate limiting disabled; L3 sessions fail.",
    evaluate: ({ nodes }) => {
      const m = master(nodes);
      return { firing: !m, value: m ? 1 : 0, summary: m ? `master ${m.id} up` : "no reachable master" };
    },
  },
  {
    rule: "redis_connected_clients",
    severity: "warn",
    meaning: "Connection pool leak.",
    evaluate: ({ nodes }, t) => {
      const top = nodes.filter((n) => n.up).sort((a, b) => b.connectedClients - a.connectedClients)[0];
      const v = top?.connectedClients ?? null;
      return { firing: v !== null && v > t.connectedClients, value: v, summary: top ? `${v} clients on ${top.id} (threshold ${t.connectedClients})` : "no data" };
    },
  },
  {
    rule: "redis_memory_used_ratio",
    severity: "warn",
    meaning: "Approaching eviction.",
    evaluate: ({ nodes }, t) => {
      const m = master(nodes);
      if (!m || !m.maxmemory) return { firing: false, value: null, summary: m ? "maxmemory not set" : "no master" };
      const r = m.usedMemory / m.maxmemory;
      return { firing: r > t.memoryUsedRatio, value: r, summary: `${pct(r)} of maxmemory on ${m.id} (threshold ${pct(t.memoryUsedRatio)})` };
    },
  },
  {
    rule: "redis_keyspace_miss_ratio",
    severity: "info",
    meaning: "Cache thrashing: investigate.",
    evaluate: ({ nodes, prevNodes }, t) => {
      const m = master(nodes);
      const prev = m && prevNodes?.find((n) => n.id === m.id && n.up);
      if (!m || !prev) return { firing: false, value: null, summary: "no data" };
      const r = missRatio({ hits: prev.keyspaceHits, misses: prev.keyspaceMisses }, { hits: m.keyspaceHits, misses: m.keyspaceMisses });
      return { firing: r !== null && r > t.missRatio, value: r, summary: r === null ? "no lookups this tick" : `${pct(r)} misses (threshold ${pct(t.missRatio)})` };
    },
  },
  {
    rule: "redis_latest_fork_seconds",
    severity: "warn",
    meaning: "RDB/AOF fork slow.",
    evaluate: ({ nodes }, t) => {
      const worst = nodes.filter((n) => n.up).sort((a, b) => b.latestForkUsec - a.latestForkUsec)[0];
      const s = worst ? worst.latestForkUsec / 1e6 : null;
      return { firing: s !== null && s > t.forkSeconds, value: s, summary: worst ? `latest fork ${s!.toFixed(3)} s on ${worst.id} (threshold ${t.forkSeconds} s)` : "no data" };
    },
  },
  {
    rule: "redis_replication_link_down",
    severity: "warn",
    meaning: "No in-sync replica: a failover now would lose data or have no candidate.",
    evaluate: ({ nodes }) => {
      const replicas = nodes.filter((n) => n.role === "replica");
      const broken = nodes.filter((n) => n.role === "replica" && (!n.up || n.masterLinkUp === false));
      const firing = broken.length > 0 || (!!master(nodes) && replicas.filter((n) => n.up).length === 0);
      return { firing, value: broken.length, summary: firing ? (broken.length ? `link down on ${broken.map((n) => n.id).join(", ")}` : "master has no replica") : "replicas in sync" };
    },
  },
  {
    rule: "sentinel_quorum",
    severity: "page",
    meaning: "Sentinel cannot authorise a failover: a master failure would not be healed.",
    evaluate: ({ sentinel }) => {
      const bad = sentinel.sentinels.filter((s) => s.up && s.quorumOk === false);
      const firing = sentinel.blind || bad.length > 0 || (sentinel.quorum !== null && sentinel.reachable < sentinel.quorum);
      const summary = sentinel.blind ? "no sentinel answers" : bad.length ? `${bad[0].id}: ${bad[0].quorumMessage}` : `${sentinel.reachable} sentinels reachable, quorum ${sentinel.quorum ?? "?"}`;
      return { firing, value: sentinel.reachable, summary };
    },
  },
  {
    rule: "redis_persistence_failing",
    severity: "page",
    meaning: "AOF writes or RDB saves fail: a restart would lose data.",
    evaluate: ({ nodes }) => {
      const bad = nodes.filter((n) => n.up && (n.aofLastWriteStatus !== "ok" || n.rdbLastBgsaveStatus !== "ok"));
      return { firing: bad.length > 0, value: bad.length, summary: bad.length ? bad.map((n) => `${n.id}: aof ${n.aofLastWriteStatus}, rdb ${n.rdbLastBgsaveStatus}`).join("; ") : "aof and rdb ok" };
    },
  },
  {
    rule: "redis_aof_delayed_fsync",
    severity: "warn",
    meaning: "The disk cannot keep up with appendfsync everysec: the 1 s RPO is not held.",
    evaluate: ({ nodes, prevNodes }) => {
      const rising = nodes.filter((n) => {
        const p = prevNodes?.find((x) => x.id === n.id && x.up);
        return n.up && p && n.aofDelayedFsync > p.aofDelayedFsync && n.uptimeSeconds >= p.uptimeSeconds;
      });
      return { firing: rising.length > 0, value: rising[0]?.aofDelayedFsync ?? null, summary: rising.length ? `delayed fsyncs rising on ${rising.map((n) => n.id).join(", ")}` : "no delayed fsyncs" };
    },
  },
];

/** Evaluates every rule; never throws. */
export function evaluateAlerts(input: AlertInput, thresholds: ThresholdConfig): AlertEvaluation[] {
  return ALERT_RULES.map((r) => ({ rule: r.rule, severity: r.severity, ...r.evaluate(input, thresholds) }));
}
