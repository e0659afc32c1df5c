/**
 * A cluster's shards from one node's CLUSTER NODES: each master that serves slots, with the
 * replicas that follow it. Shards are named by their lowest slot ("shard-1" holds slot 0), so
 * a promotion, which moves no slot, keeps the name. Pure.
 */
import type { ClusterNodeEntry } from "../contract/cluster-info";
import { slotCount } from "../contract/cluster-info";
import type { ClusterShard, ClusterShardNode } from "../snapshot/cluster-types";

export interface TopologyNode {
  clusterId: string;
  host: string;
  port: number;
  addr: string;
  role: "master" | "replica" | "unknown";
  masterId: string | null;
  failing: "fail" | "pfail" | null;
  connected: boolean;
  slots: [number, number][];
}

export function topologyNodes(entries: ClusterNodeEntry[]): TopologyNode[] {
  return entries
    .filter((e) => e.host && e.port > 0 && !e.flags.includes("noaddr") && !e.flags.includes("handshake"))
    .map((e) => ({
      clusterId: e.id,
      host: e.host,
      port: e.port,
      addr: `${e.host}:${e.port}`,
      role: e.role,
      masterId: e.masterId,
      failing: e.failing,
      // The node we asked is "myself": always connected to itself.
      connected: e.myself || e.linkState === "connected",
      slots: e.slots,
    }));
}

function health(n: TopologyNode): string {
  return n.failing === "fail" ? "failed" : n.failing === "pfail" ? "suspected (pfail)" : n.connected ? "online" : "disconnected";
}

/** The shards, by lowest slot; `idOf` gives the console's id of a node by its address. */
export function shardsOf(nodes: TopologyNode[], idOf: (addr: string) => string): Omit<ClusterShard, "usedMemory" | "maxmemory" | "evictedKeys" | "keys">[] {
  const view = (n: TopologyNode): ClusterShardNode => ({
    id: idOf(n.addr),
    clusterId: n.clusterId,
    addr: n.addr,
    role: n.role === "master" ? "master" : "replica",
    health: health(n),
    replicationOffset: null,
  });
  const masters = nodes.filter((n) => n.role === "master" && n.slots.length > 0).sort((a, b) => a.slots[0][0] - b.slots[0][0]);
  return masters.map((m, i) => ({
    name: `shard-${i + 1}`,
    slots: m.slots,
    slotCount: slotCount(m.slots),
    master: view(m),
    replicas: nodes.filter((r) => r.role === "replica" && r.masterId === m.clusterId).map(view),
  }));
}

/** The shard that serves `slot`, by name; null when no shard does (an uncovered slot). */
export function shardOfSlot(shards: Pick<ClusterShard, "name" | "slots">[], slot: number): string | null {
  return shards.find((s) => s.slots.some(([a, b]) => slot >= a && slot <= b))?.name ?? null;
}
