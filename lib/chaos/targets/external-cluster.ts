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

export interface ClusterTargetOptions {
  deployment: string;
  seeds: NodeAddress[];
  auth: ConnectionAuth;
  timeoutMs: number;
}

const FILLER_CHUNK = 64 * 1024;
const MAX_FILL_KEYS = 4000;

const infoField = (info: string, field: string) => Number(info.match(new RegExp(`^${field}:(.*)$`, "m"))?.[1].trim() ?? NaN);

/** What this target cannot do, and why: said per scenario before a run, and in the 400 of one that needs it. */
export const CLUSTER_LACKS: Partial<Record<CapabilityAnswer["capability"], string>> = {
  "restart-master":
    "DEBUG CRASH-AND-RECOVER is not driven on a Redis Cluster dev stack: past cluster-node-timeout the cluster promotes the crashed master's replica, and a crash without persistence empties the shard",
  "add-latency": "no fault proxy can sit between cluster clients and one shard: they follow MOVED to each node's own address",
  "exhaust-connections":
    "holding a shard master's connections is not driven on a Redis Cluster dev stack: connection-exhaustion is written against the sandbox engine's exhaust-connections capability; run it on the Sentinel sandbox",
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

  /** Why `shard` names no shard of this cluster, or null when it does. */
  lacksShard(shard: unknown): string | null {
    const names = this.topology.shards.map((s) => s.name);
    return names.includes(String(shard))
      ? null
      : `this cluster has no ${String(shard).slice(0, 32)}: its shards are ${names.join(", ")} (by lowest slot, as on the Cluster page)`;
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
    return withClient(master, this.opts.auth, this.opts.timeoutMs, async (r) => {
      const [, maxOrig] = (await r.call("CONFIG", "GET", "maxmemory")) as string[];
      const [, policyOrig] = (await r.call("CONFIG", "GET", "maxmemory-policy")) as string[];
      const used = infoField(await r.info("memory"), "used_memory");
      const limit = Number(maxOrig) > 0 && Number(maxOrig) < used + headroomBytes ? Number(maxOrig) : used + headroomBytes;
      const marker = markerKey(shard.tag);
      await this.journal.record({ kind: "marker", node: master, key: marker, original: await r.get(marker) });
      const pattern = fillerPattern(shard.tag, this.journal.data.runId);
      await this.journal.record({ kind: "filler", node: master, pattern });
      if (limit !== Number(maxOrig)) {
        await this.journal.record({ kind: "config", node: master, name: "maxmemory", original: maxOrig });
        await r.call("CONFIG", "SET", "maxmemory", String(limit));
      }
      if (policy && policy !== policyOrig) {
        await this.journal.record({ kind: "config", node: master, name: "maxmemory-policy", original: policyOrig });
        await r.call("CONFIG", "SET", "maxmemory-policy", policy);
      }
      const evictedBefore = infoField(await r.info("stats"), "evicted_keys");
      const chunk = "x".repeat(FILLER_CHUNK);
      let keys = 0;
      let usedNow = used;
      for (; keys < MAX_FILL_KEYS && usedNow < (limit * percent) / 100; keys++) {
        try {
          await r.set(pattern.replace(/\*$/, String(keys)), chunk, "PX", ttlMs);
        } catch (err) {
          if (/OOM/.test((err as Error).message)) break; // noeviction: the ceiling is reached
          throw err;
        }
        if (keys % 8 === 0) usedNow = infoField(await r.info("memory"), "used_memory");
      }
      const evicted = infoField(await r.info("stats"), "evicted_keys") - evictedBefore;
      return { master, maxmemory: limit, usedPercent: Math.round((usedNow / limit) * 100), keys, evicted };
    });
  }

  /** Evicted keys per shard master now, to show a fill stayed on its shard. */
  async evictedByShard(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const s of this.topology.shards)
      out.set(s.name, await withClient(s.master, this.opts.auth, this.opts.timeoutMs, async (r) => infoField(await r.info("stats"), "evicted_keys")));
    return out;
  }

  async restore(): Promise<{ done: string[]; failed: string[] }> {
    const unpaused: string[] = [];
    for (const c of this.pausers.splice(0)) {
      await c.call("CLIENT", "UNPAUSE").then(
        () => unpaused.push(`${c.options.host}:${c.options.port}`),
        () => {},
      );
      c.disconnect();
    }
    // What was unpaused here needs no wait in the journal's restore.
    for (const e of this.journal.data.entries) if (e.kind === "pause" && unpaused.includes(`${e.node.host}:${e.node.port}`)) e.untilMs = Date.now();
    await this.journal.flush();
    return restoreClusterJournal(this.journal.data, { auth: this.opts.auth, timeoutMs: this.opts.timeoutMs });
  }
}
