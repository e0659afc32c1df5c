import "server-only";
/**
 * The Redis Cluster dev-stack target: faults on one shard of a cluster the console does not own,
 * by commands alone (no kill). Each fault journals what undoes it before it acts: CLIENT PAUSE on
 * the shard's master (Redis lifts it itself), CLUSTER FAILOVER on its replica (undone by failing
 * back), a fill of the shard's own slots (the keys deleted, maxmemory and policy restored).
 */
import type Redis from "ioredis";
import type { ConnectionAuth } from "../../redis/connection-auth";
import type { FaultJournal, NodeAddress } from "../journal";
import type { CapabilityAnswer } from "./capabilities";
import { openClient, withClient } from "./connect";
import { fillerPattern, markerKey, readTopology, shardNamed, type DevClusterTopology } from "./cluster-topology";
import { ownRole, restoreClusterJournal } from "./cluster-journal";
import { fillNode, infoNumber } from "./fill";
import { unpauseFirst } from "./restore";

export interface ClusterTargetOptions {
  deployment: string;
  seeds: NodeAddress[];
  auth: ConnectionAuth;
  timeoutMs: number;
}

/** What this target cannot do, and why: said per scenario before a run, and in the 400 of one that needs it. */
export const CLUSTER_LACKS: Partial<Record<CapabilityAnswer["capability"], string>> = {
  "restart-master":
    "DEBUG CRASH-AND-RECOVER is not driven on a Redis Cluster dev stack: past cluster-node-timeout the cluster promotes the crashed master's replica, and a crash without persistence empties the shard",
  "add-latency": "no fault proxy can sit between cluster clients and one shard: they follow MOVED to each node's own address",
  "exhaust-connections":
    "exhaust-connections (holding a master's connections) is not offered on a Redis Cluster dev stack yet: the Sentinel dev stack's offer holds one master's, a cluster would need a hold on one shard's master and the layers judged per shard; run connection-exhaustion on a Sentinel dev stack or the Sentinel sandbox",
};

export class ClusterDevTarget {
  /** Opened before a pause: under CLIENT PAUSE ALL even AUTH on a new connection waits, so the unpause needs one from before. */
  private pausers: Redis[] = [];

  constructor(
    readonly opts: ClusterTargetOptions,
    readonly journal: FaultJournal,
    public topology: DevClusterTopology,
  ) {}

  static async open(opts: ClusterTargetOptions, journal: FaultJournal): Promise<ClusterDevTarget> {
    return new ClusterDevTarget(opts, journal, await readTopology(opts.seeds, opts.auth, opts.timeoutMs));
  }

  /** Reads the shards again (after a failover a shard's master is another node). */
  async refresh(): Promise<DevClusterTopology> {
    this.topology = await readTopology([...this.topology.nodes, ...this.opts.seeds], this.opts.auth, this.opts.timeoutMs);
    return this.topology;
  }

  /** Why `shard` cannot take `scenario`'s fault here (no such shard; no replica to fail over to), or null. */
  lacksShard(shard: unknown, scenario: string): string | null {
    const names = this.topology.shards.map((s) => s.name);
    const found = this.topology.shards.find((s) => s.name === shard);
    if (!found) return `this cluster has no ${String(shard).slice(0, 32)}: its shards are ${names.join(", ")} (by lowest slot, as on the Cluster page)`;
    if (scenario === "failover" && !found.replicas.length) return `${found.name} has no replica: CLUSTER FAILOVER needs one`;
    return null;
  }

  capabilities(): CapabilityAnswer[] {
    const withReplica = this.topology.shards.filter((s) => s.replicas.length).length;
    return [
      { capability: "freeze-master", available: true, how: "CLIENT PAUSE <ms> ALL on one shard's master; Redis lifts it itself when the time is up" },
      {
        capability: "fill-memory",
        available: true,
        how: "CONFIG SET maxmemory on one shard's master (originals journaled), filler tagged into its slots with TTLs",
      },
      {
        capability: "fail-over",
        available: withReplica > 0,
        how: "CLUSTER FAILOVER on a replica of the shard, failed back at the end",
        reason: withReplica ? undefined : "no shard has a replica: CLUSTER FAILOVER needs one",
      },
      ...(Object.entries(CLUSTER_LACKS) as [CapabilityAnswer["capability"], string][]).map(([capability, reason]) => ({
        capability,
        available: false,
        how: "not on a Redis Cluster dev stack",
        reason,
      })),
    ];
  }

  /** Freezes the shard's master for ms (CLIENT PAUSE ALL); Redis lifts it by itself. */
  async pause(shardName: string, ms: number): Promise<NodeAddress> {
    const master = shardNamed(this.topology, shardName).master;
    const c = await openClient(master, this.opts.auth, this.opts.timeoutMs);
    this.pausers.push(c);
    await this.journal.record({ kind: "pause", node: master, untilMs: Date.now() + ms });
    await c.call("CLIENT", "PAUSE", String(ms), "ALL");
    return master;
  }

  /** CLUSTER FAILOVER on the shard's first replica; the failback is journaled first. */
  async failover(shardName: string): Promise<{ master: NodeAddress; replica: NodeAddress }> {
    const shard = shardNamed(this.topology, shardName);
    const replica = shard.replicas[0];
    if (!replica) throw new Error(`${shard.name} has no replica: CLUSTER FAILOVER needs one`);
    await this.journal.record({ kind: "failback", node: shard.master, replica });
    await withClient(replica, this.opts.auth, this.opts.timeoutMs, (r) => r.call("CLUSTER", "FAILOVER"));
    return { master: shard.master, replica };
  }

  /** Whether `node` reports itself master in its own CLUSTER NODES. */
  async isMaster(node: NodeAddress): Promise<boolean> {
    return (await ownRole(node, this.opts.auth, this.opts.timeoutMs)) === "master";
  }

  /**
   * A maxmemory just above what the shard's master uses, then filler tagged into the shard's own
   * slots under rrc:filler:{<tag>}:<run>:* with TTLs until `percent` of it is used or Redis evicts.
   */
  async fillMemory(shardName: string, percent: number, ttlMs: number, policy?: string, headroomBytes = 4 * 1024 * 1024) {
    const shard = shardNamed(this.topology, shardName);
    const master = shard.master;
    const pattern = fillerPattern(shard.tag, this.journal.data.runId);
    const filled = await withClient(master, this.opts.auth, this.opts.timeoutMs, (r) =>
      fillNode(r, master, this.journal, {
        marker: markerKey(shard.tag),
        pattern,
        keyPrefix: pattern.replace(/\*$/, ""),
        percent,
        ttlMs,
        policy,
        headroomBytes,
      }),
    );
    return { master, ...filled };
  }

  /** Evicted keys per shard master now, to show a fill stayed on its shard. */
  async evictedByShard(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const s of this.topology.shards)
      out.set(s.name, await withClient(s.master, this.opts.auth, this.opts.timeoutMs, async (r) => infoNumber(await r.info("stats"), "evicted_keys")));
    return out;
  }

  async restore(): Promise<{ done: string[]; failed: string[] }> {
    await unpauseFirst(this.pausers, this.journal);
    return restoreClusterJournal(this.journal.data, { auth: this.opts.auth, timeoutMs: this.opts.timeoutMs });
  }
}
