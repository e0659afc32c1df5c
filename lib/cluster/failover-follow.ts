/**
 * Follows each shard's master across looks: when a shard's master is replaced by one of its
 * replicas, that is a failover, timed from when the console first saw the old master fail (down
 * to the console, or flagged fail/pfail by the cluster) to when every answering node says
 * cluster_state:ok again. A promotion with no failure seen first is a manual CLUSTER FAILOVER.
 */
import type { ClusterFailover, ClusterShard } from "../snapshot/cluster-types";

const KEEP = 20;

export interface FollowInput {
  now: number;
  shards: Pick<ClusterShard, "name" | "master">[];
  /** Console ids of the nodes that are failing now: down to the console, or flagged by the topology. */
  failing: Set<string>;
  /** cluster_state:ok on every answering node, and every shard has a master. */
  clusterOk: boolean;
}

export interface FollowEvent {
  severity: "info" | "warn" | "page";
  title: string;
  detail?: string;
  subject: string;
}

const seconds = (from: number, to: number) => Math.max(0, Math.round((to - from) / 10) / 100);

/** A Cluster failover as the store keeps it beside Sentinel's: named by its shard and promotion, started when the master failed. */
export type StoredClusterFailover = ClusterFailover & { id: string; startedAt: string };

export function storedClusterFailover(f: ClusterFailover): StoredClusterFailover {
  return { ...f, id: `${f.shard}@${f.promotedAt}`, startedAt: f.failedAt ?? f.promotedAt };
}

/** A stored failover of either kind is a Cluster one when it names a shard. */
export const isClusterFailover = (r: object): r is StoredClusterFailover => "shard" in r && "promotedAt" in r;

/** The stored record back as the snapshot shows it. */
export function clusterFailoverOf(r: StoredClusterFailover): ClusterFailover {
  const { id: _id, startedAt: _s, ...f } = r;
  return f;
}

export class FailoverFollower {
  private masters = new Map<string, string>();
  /** Per master id: when it was first seen failing (cleared once it is well again). */
  private failingSince = new Map<string, number>();
  private open: (ClusterFailover & { startMs: number })[] = [];
  private done: ClusterFailover[];

  constructor(
    /** Finished failovers from before (the store), newest first. */
    history: ClusterFailover[] = [],
    /** Told of each failover when it is promoted and again when the cluster is ok (the store keeps it). */
    private readonly onRecord: (f: ClusterFailover) => void = () => {},
  ) {
    this.done = history.slice(0, KEEP);
  }

  /** Folds one look; returns the events worth a timeline line. */
  observe(input: FollowInput): FollowEvent[] {
    const events: FollowEvent[] = [];
    for (const id of input.failing) if (!this.failingSince.has(id)) this.failingSince.set(id, input.now);
    for (const id of [...this.failingSince.keys()]) if (!input.failing.has(id)) this.failingSince.delete(id);
    for (const shard of input.shards) {
      const to = shard.master?.id;
      if (!to) continue;
      const from = this.masters.get(shard.name);
      this.masters.set(shard.name, to);
      if (from === undefined || from === to) continue;
      const failedMs = this.failingSince.get(from) ?? null;
      const f: ClusterFailover & { startMs: number } = {
        shard: shard.name,
        from,
        to,
        failedAt: failedMs === null ? null : new Date(failedMs).toISOString(),
        promotedAt: new Date(input.now).toISOString(),
        okAt: null,
        seconds: null,
        kind: failedMs === null ? "manual" : "automatic",
        startMs: failedMs ?? input.now,
      };
      this.open.push(f);
      const { startMs: _start, ...promoted } = f;
      this.onRecord(promoted);
      events.push({
        severity: "warn",
        subject: shard.name,
        title: `${shard.name}: ${to} promoted in place of ${from}`,
        detail:
          failedMs === null
            ? "no failure of the old master was seen first: a manual CLUSTER FAILOVER"
            : `${seconds(failedMs, input.now)} s after the console first saw ${from} fail`,
      });
    }
    if (input.clusterOk && this.open.length) {
      for (const f of this.open) {
        f.okAt = new Date(input.now).toISOString();
        f.seconds = seconds(f.startMs, input.now);
        events.push({
          severity: "info",
          subject: f.shard,
          title: `${f.shard}: cluster_state ok again, ${f.seconds} s after ${f.kind === "manual" ? "the promotion" : "the master failed"}`,
        });
        const { startMs: _s, ...record } = f;
        this.done.unshift(record);
        this.onRecord(record);
      }
      this.open = [];
      this.done = this.done.slice(0, KEEP);
    }
    return events;
  }

  /** Newest first: the open ones (waiting for cluster_state ok), then the finished. */
  failovers(): ClusterFailover[] {
    return [...this.open.map(({ startMs: _s, ...f }) => f).reverse(), ...this.done];
  }

  /** A shard whose master is failing and has not been replaced yet. */
  inProgress(shards: Pick<ClusterShard, "name" | "master">[]): { shard: string; since: string } | null {
    for (const s of shards) {
      const since = s.master ? this.failingSince.get(s.master.id) : undefined;
      if (since !== undefined) return { shard: s.name, since: new Date(since).toISOString() };
    }
    return null;
  }
}
