/** Redis on a cluster as the layers meet it: every slot served, none, or one shard down. Pure (the Overview uses it too). */
import type { ClusterSnapshot } from "../snapshot/cluster-types";

/**
 * Whether Redis is up for the layers on a cluster: every slot served by a master that answers
 * (true); no node serving (false: every answering node says cluster_state:fail, or none
 * answers); or some shard down while others serve (null: a layer's probe may touch that shard
 * or not, so it is not judged against the contract).
 */
export function clusterUpForLayers(c: ClusterSnapshot): boolean | null {
  const answering = c.nodes.filter((n) => n.state !== null);
  if (!answering.length || answering.every((n) => n.state === "fail")) return false;
  const masterUp = (id: string) => c.nodes.find((n) => n.id === id)?.up === true;
  const served =
    c.state === "ok" && c.slotsOk === 16384 && c.shards.length > 0 && c.shards.every((s) => s.master && s.master.health === "online" && masterUp(s.master.id));
  return served ? true : null;
}

/** The shards with no master that answers and is online in the topology. */
export function downShards(c: ClusterSnapshot): string[] {
  return c.shards.filter((s) => !s.master || s.master.health !== "online" || !c.nodes.find((n) => n.id === s.master!.id)?.up).map((s) => s.name);
}

/** One line on Redis for the layers on a cluster. */
export function clusterAvailability(c: ClusterSnapshot, up: boolean | null): string {
  if (up === true) return `cluster_state:ok, all ${c.slotsOk} slots served by ${c.shards.length} shards`;
  const down = downShards(c);
  if (up === false)
    return c.nodes.some((n) => n.state !== null)
      ? `cluster_state:fail on every node that answers: no slot is served${down.length ? ` (${down.join(", ")} down)` : ""}`
      : "no cluster node answers";
  const which = down.join(", ") || "a shard";
  // Before cluster-node-timeout the other nodes still count the slots ok: say it is the console that sees the master gone.
  if (c.slotsOk === 16384 && c.state === "ok")
    return `${which}: its master does not answer, not flagged by the cluster yet (cluster_state:ok): layers touching it fail, the others are served`;
  return `${which} not served (cluster_state:${c.state ?? "unknown"}, ${c.slotsOk} of 16384 slots ok): layers touching it fail, the others are served`;
}
