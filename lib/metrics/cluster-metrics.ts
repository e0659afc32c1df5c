import "server-only";
/**
 * A Redis Cluster's metrics under redis_exporter's names (its CLUSTER INFO gauges, one series
 * per node as each exporter scrapes one node), plus the console's own shard view (rrc_cluster_*).
 */
import type { Gauge, LabelValues } from "prom-client";
import type { ClusterNodeView } from "../snapshot/cluster-types";
import type { Snapshot } from "../snapshot/types";

type Sink = { set(labels: LabelValues<string>, value: number): void; set(value: number): void };
type GaugeFactory = (name: string, help: string, labelNames: string[], fill: (g: Sink, s: Snapshot) => void) => Gauge;

/** redis_exporter's cluster_* gauges (exporter/info.go: cluster_state ok→1, the rest as numbers). */
const EXPORTER_CLUSTER_GAUGES: [string, string, (v: ClusterNodeView) => number | null][] = [
  ["redis_cluster_enabled", "cluster_enabled: 1 on a cluster node", () => 1],
  ["redis_cluster_state", "cluster_state as this node sees it: 1 ok, 0 fail", (v) => (v.state === null ? null : v.state === "ok" ? 1 : 0)],
  ["redis_cluster_slots_assigned", "cluster_slots_assigned", (v) => v.slotsAssigned],
  ["redis_cluster_slots_ok", "cluster_slots_ok", (v) => v.slotsOk],
  ["redis_cluster_slots_pfail", "cluster_slots_pfail", (v) => v.slotsPfail],
  ["redis_cluster_slots_fail", "cluster_slots_fail", (v) => v.slotsFail],
  ["redis_cluster_known_nodes", "cluster_known_nodes", (v) => v.knownNodes],
  ["redis_cluster_size", "cluster_size: masters serving at least one slot", (v) => v.size],
  ["redis_cluster_current_epoch", "cluster_current_epoch", (v) => v.currentEpoch],
];

export function registerClusterMetrics(gauge: GaugeFactory): void {
  for (const [name, help, value] of EXPORTER_CLUSTER_GAUGES)
    gauge(name, help, ["node", "addr"], (g, s) => {
      for (const v of s.cluster?.nodes ?? []) {
        const x = v.up ? value(v) : null;
        if (x !== null) g.set({ node: v.id, addr: v.addr }, x);
      }
    });
  gauge("rrc_cluster_shard_master_up", "1 when the shard's master answers and the cluster sees it online.", ["shard"], (g, s) => {
    for (const sh of s.cluster?.shards ?? []) {
      const up = !!sh.master && sh.master.health === "online" && s.redis.nodes.some((n) => n.id === sh.master!.id && n.up);
      g.set({ shard: sh.name }, up ? 1 : 0);
    }
  });
  gauge("rrc_cluster_shard_replicas_online", "Online replicas of the shard.", ["shard"], (g, s) => {
    for (const sh of s.cluster?.shards ?? []) g.set({ shard: sh.name }, sh.replicas.filter((r) => r.health === "online").length);
  });
  gauge("rrc_cluster_shard_memory_used_ratio", "used_memory / maxmemory of the shard's master.", ["shard"], (g, s) => {
    for (const sh of s.cluster?.shards ?? []) if (sh.usedMemory !== null && sh.maxmemory) g.set({ shard: sh.name }, sh.usedMemory / sh.maxmemory);
  });
  gauge("rrc_cluster_failover_last_duration_seconds", "The latest followed failover: the master's failure to cluster_state ok.", [], (g, s) => {
    const last = s.cluster?.failovers.find((f) => f.seconds !== null);
    if (last) g.set(last.seconds!);
  });
}
