/** Display helpers for the Cluster page. */
import type { ClusterShardNode } from "@/lib/snapshot/cluster-types";

/** "0-5460" / "0-10, 20-30": slot ranges as a person reads them. */
export function slotRanges(slots: [number, number][]): string {
  return slots.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(", ");
}

/** A node by its id, with its address unless presenting (ids that are addresses are hidden then). */
export function shardNodeLabel(n: Pick<ClusterShardNode, "id" | "addr">, present: boolean): string {
  if (present) return n.id === n.addr ? "node" : n.id;
  return n.id === n.addr ? n.addr : `${n.id} (${n.addr})`;
}

export function healthTone(health: string): string {
  return health === "online" ? "text-ok" : health.startsWith("suspected") ? "text-degraded" : "text-unavailable";
}
