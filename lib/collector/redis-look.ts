import "server-only";
/** What one look at Redis saw (the nodes, the sentinels, a cluster's topology): each push is built from the last one. */
import type { DevstackState } from "../config/devstack-state";
import type { SentinelExtras } from "../sentinel/sentinel-extras";
import type { ClusterSnapshot } from "../snapshot/cluster-types";
import type { SentinelView, Snapshot } from "../snapshot/types";
import type { LookCause } from "./look-schedule";
import type { NodeSample } from "./node-sampler";

/** What the last look at Redis saw; each push is built from it and the layers' latest answers. */
export interface RedisLook {
  samples: NodeSample[];
  views: SentinelView[];
  sentinelExtras: SentinelExtras;
  devstack: DevstackState | null;
  durationMs: number;
  /** Why this look ran: its turn on the tick, or an event that asked for it (a +switch-master, a node down). */
  cause: LookCause;
  startedAt: string;
  /** On a Redis Cluster: its shards, views and failovers as this look saw them. */
  cluster?: ClusterSnapshot;
}

/** A node came up, went down or changed role since the last push. */
export function nodesChanged(prev: Snapshot, samples: NodeSample[]): boolean {
  return samples.some((s) => {
    const p = prev.redis.nodes.find((n) => n.id === s.id);
    return !p || p.up !== s.up || (s.up && p.role !== (s.info.role === "master" ? "master" : s.info.role === "replica" ? "replica" : "unknown"));
  });
}
