/**
 * The snapshot's cluster part, present when the deployment is a Redis Cluster (config
 * `redis.cluster`). Client-safe: no secrets. Node ids are the console's ids (host:port, or the
 * sandbox's node names); `clusterId` is Redis's 40-hex node id.
 */

/** One node's own view of the cluster (its CLUSTER INFO), read with its INFO each tick. */
export interface ClusterNodeView {
  /** The console's node id (as in `redis.nodes[].id`). */
  id: string;
  addr: string;
  up: boolean;
  /** Redis's node id (CLUSTER MYID), once known. */
  clusterId: string | null;
  role: "master" | "replica" | "unknown";
  /** cluster_state as this node sees it. */
  state: "ok" | "fail" | null;
  slotsAssigned: number | null;
  slotsOk: number | null;
  slotsPfail: number | null;
  slotsFail: number | null;
  knownNodes: number | null;
  /** cluster_size: masters serving at least one slot. */
  size: number | null;
  currentEpoch: number | null;
  myEpoch: number | null;
}

export interface ClusterShardNode {
  /** The console's node id when it watches that node; else the node's address. */
  id: string;
  clusterId: string;
  addr: string;
  role: "master" | "replica";
  /** The topology's health of the node (CLUSTER SHARDS `health`): online, failed, loading. */
  health: string;
  replicationOffset: number | null;
}

export interface ClusterShard {
  /** A stable name: "shard-1"… by lowest slot, so a promotion does not rename it. */
  name: string;
  /** Slot ranges [start, end], inclusive. */
  slots: [number, number][];
  slotCount: number;
  master: ClusterShardNode | null;
  replicas: ClusterShardNode[];
  /** The master's used_memory and maxmemory (INFO), and evicted_keys. */
  usedMemory: number | null;
  maxmemory: number | null;
  evictedKeys: number | null;
  keys: number | null;
}

/** A failover the console followed: a shard's master replaced by one of its replicas. */
export interface ClusterFailover {
  shard: string;
  /** Console ids of the old and the new master. */
  from: string;
  to: string;
  /** When the console first saw the old master fail (down, or flagged fail by the topology); null when it never saw it fail (a manual CLUSTER FAILOVER). */
  failedAt: string | null;
  promotedAt: string;
  /** When cluster_state was ok again on every node that answers; null while not yet. */
  okAt: string | null;
  /** Seconds from the failure (or, for a manual failover, the promotion) to cluster_state ok. */
  seconds: number | null;
  kind: "automatic" | "manual";
}

/** Where a layer's keys live: per key class, the shard (tagged by a known tenant) or every shard. */
export interface ClusterKeyPlacement {
  layer: string;
  prefix: string;
  tag: string;
  /** For a tenant-tagged class: the tenant the console probes with, its slot and shard. */
  tenant?: string;
  slot?: number;
  shard?: string | null;
  /** True when the class is spread over every shard (untagged, or tagged per session/prompt). */
  spread: boolean;
  why: string;
}

export interface ClusterSnapshot {
  /** cluster_state as most answering nodes see it; null when no node answers. */
  state: "ok" | "fail" | null;
  /** The topology read (CLUSTER SHARDS) came from this node; null when none answered. */
  topologyFrom: string | null;
  topologyError?: string;
  slotsAssigned: number;
  slotsOk: number;
  slotsPfail: number;
  slotsFail: number;
  knownNodes: number | null;
  size: number | null;
  shards: ClusterShard[];
  nodes: ClusterNodeView[];
  /** Sentences naming nodes that disagree with the others (cluster_state, epoch, known nodes). */
  disagreements: string[];
  /** Followed failovers, newest first. */
  failovers: ClusterFailover[];
  /** A shard whose master failed and whose promotion the console is waiting for. */
  failoverInProgress: { shard: string; since: string } | null;
  keyPlacement: ClusterKeyPlacement[];
}
