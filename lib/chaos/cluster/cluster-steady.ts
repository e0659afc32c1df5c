/**
 * The steady state a chaos run needs on the cluster sandbox, from the collector's snapshot:
 * cluster_state ok on every node, every slot ok, the expected shards each with a master and a
 * replica in sync, no failover under way, nodes agreeing, every layer ok. Pure.
 */
import { CLUSTER_SLOTS } from "../../contract/cluster-keys";
import type { Snapshot } from "../../snapshot/types";

/** The cluster sandbox's shape: 3 masters, each with a replica. */
export const SANDBOX_SHARDS = 3;

/** Problems that keep the cluster from steady state; empty means healthy. */
export function clusterSteadyProblems(s: Snapshot, expectShards = SANDBOX_SHARDS): string[] {
  const c = s.cluster;
  if (!c) return ["the console does not watch the cluster yet (the snapshot has no cluster part)"];
  const problems: string[] = [];
  if (c.topologyError) problems.push(`the cluster's topology could not be read: ${c.topologyError}`);
  if (c.state !== "ok") problems.push(`cluster_state is ${c.state ?? "unknown (no node answers)"}`);
  if (c.slotsOk !== CLUSTER_SLOTS) problems.push(`${c.slotsOk} of ${CLUSTER_SLOTS} slots ok (pfail ${c.slotsPfail}, fail ${c.slotsFail})`);
  for (const n of s.redis.nodes.filter((x) => !x.up)) problems.push(`${n.id} is down (${n.error ?? "no answer"})`);
  for (const v of c.nodes.filter((x) => x.up && x.state !== null && x.state !== "ok")) problems.push(`${v.id} reports cluster_state:${v.state}`);
  if (c.shards.length !== expectShards) problems.push(`expected ${expectShards} shards, found ${c.shards.length}`);
  for (const shard of c.shards) {
    if (!shard.master) problems.push(`${shard.name} has no master`);
    else if (shard.master.health !== "online") problems.push(`${shard.name}'s master ${shard.master.id} is ${shard.master.health}`);
    const inSync = shard.replicas.filter((r) => r.health === "online" && s.redis.nodes.find((n) => n.id === r.id)?.masterLinkUp !== false);
    if (!shard.replicas.length) problems.push(`${shard.name} has no replica`);
    else if (!inSync.length) problems.push(`${shard.name} has no replica in sync (${shard.replicas.map((r) => `${r.id} ${r.health}`).join(", ")})`);
  }
  problems.push(...c.disagreements);
  if (c.failoverInProgress) problems.push(`a failover is in progress on ${c.failoverInProgress.shard}`);
  for (const l of s.layers.filter((x) => x.status !== "ok")) problems.push(`${l.id} is ${l.status}: ${l.summary}`);
  return problems;
}
