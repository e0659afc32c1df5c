import "server-only";
/**
 * One chaos run on a Redis Cluster dev stack, from the three keys to the post-flight (as
 * ChaosSession on Sentinel): begin() checks chaos.allow, an unfinished journal, every shard's
 * marker, and takes the lock on the first shard's master (journaled first); while the run lives
 * the lock is refreshed and a marker its own pressure evicted is put back; end() restores from
 * the journal and compares the cluster with the journal's originals.
 */
import type Redis from "ioredis";
import type { JournalBackend } from "../journal";
import { addr, openClient, withClient } from "./connect";
import { clusterPostflight } from "./cluster-journal";
import { clusterMarkerRefusal, lockShard, takeClusterLock } from "./cluster-opt-in";
import { lockKey, markerKey, type DevShard } from "./cluster-topology";
import { ClusterDevTarget, type ClusterTargetOptions } from "./external-cluster";
import { openRunJournal, type Refusal } from "./opt-in";

export interface ClusterSessionOptions extends ClusterTargetOptions {
  allow: boolean | undefined;
  dataDir: string;
  journal?: JournalBackend;
  runId: string;
  lockTtlMs: number;
  onRevoked?: (reason: string) => void;
}

export type ClusterBegin = { ok: true; session: ClusterChaosSession } | { ok: false; refusal: Refusal };

export class ClusterChaosSession {
  private keeper: NodeJS.Timeout | null = null;
  private clients: { shard: DevShard; r: Redis }[] = [];
  revoked: string | null = null;

  private constructor(
    readonly target: ClusterDevTarget,
    private readonly opts: ClusterSessionOptions,
  ) {}

  static async begin(opts: ClusterSessionOptions): Promise<ClusterBegin> {
    const opened = await openRunJournal({ ...opts, hasUser: !!opts.auth.username });
    if (!opened.ok) return opened;
    const { journal } = opened;
    const target = await ClusterDevTarget.open(opts, journal);
    const topo = target.topology;
    journal.data.topology = { nodes: topo.nodes, sentinels: [], masterName: "", cluster: true, masters: topo.shards.map((s) => s.master) };
    const first = lockShard(topo);
    const key = lockKey(first.tag);
    const refusal = await withClient(first.master, opts.auth, opts.timeoutMs, async (r) => {
      // Another run's lock is the refusal that explains most (its pressure may have evicted a marker a moment ago).
      if ((await r.get(key)) !== null) return takeClusterLock(r, first, opts.runId, opts.lockTtlMs);
      const marker = await clusterMarkerRefusal(topo, opts.deployment, opts.auth, opts.timeoutMs);
      if (marker) return marker;
      await journal.record({ kind: "lock", node: first.master, key, runId: opts.runId });
      return takeClusterLock(r, first, opts.runId, opts.lockTtlMs);
    });
    if (refusal) {
      // Only this run's own journal (its lock entry) goes; any other is a record to keep.
      if (journal.data.entries.length && (await journal.backend.read())?.runId === opts.runId) await journal.finish();
      return { ok: false, refusal };
    }
    const session = new ClusterChaosSession(target, opts);
    await session.keep();
    return { ok: true, session };
  }

  /** Refreshes the lock about once a second; puts back a marker the run's own pressure evicted; a marker a person deleted stops the run. */
  private async keep(): Promise<void> {
    for (const shard of this.target.topology.shards) this.clients.push({ shard, r: await openClient(shard.master, this.opts.auth, this.opts.timeoutMs) });
    const evicted = async (r: Redis) => /evicted_keys:(\d+)/.exec(await r.info("stats"))?.[1] ?? "";
    const before = new Map<DevShard, string>();
    for (const c of this.clients) before.set(c.shard, await evicted(c.r).catch(() => ""));
    const lock = lockKey(lockShard(this.target.topology).tag);
    const tick = async (c: { shard: DevShard; r: Redis }) => {
      try {
        if (c.shard === lockShard(this.target.topology)) {
          if ((await c.r.get(lock)) === this.opts.runId) await c.r.pexpire(lock, this.opts.lockTtlMs);
          else await c.r.set(lock, this.opts.runId, "PX", this.opts.lockTtlMs, "NX");
        }
        const now = await evicted(c.r);
        if (!this.revoked && (await c.r.get(markerKey(c.shard.tag))) === null) {
          if (now !== before.get(c.shard)) await c.r.set(markerKey(c.shard.tag), this.opts.deployment);
          else this.revoke(c.shard);
        }
        before.set(c.shard, now);
      } catch (err) {
        // A replica since the run's failover: the keeper follows the shard's slots to its new master.
        const moved = /MOVED \d+ (\S+):(\d+)/.exec((err as Error).message);
        const next = moved && (await openClient({ host: moved[1], port: Number(moved[2]) }, this.opts.auth, this.opts.timeoutMs).catch(() => null));
        if (next && this.keeper) {
          c.r.disconnect();
          c.r = next;
        } else next?.disconnect(); // ended meanwhile: nothing may outlive the run
        /* else a paused master: the next tick tries again; the TTL covers the gap */
      }
    };
    this.keeper = setInterval(() => this.clients.forEach((c) => void tick(c)), Math.min(1000, Math.max(200, Math.floor(this.opts.lockTtlMs / 4))));
  }

  private revoke(shard: DevShard): void {
    this.revoked = `${markerKey(shard.tag)} was deleted on ${shard.name} (${addr(shard.master)}) during the run (chaos consent revoked): the run was stopped and the marker left deleted`;
    for (const e of this.target.journal.data.entries) if (e.kind === "marker" && e.key === markerKey(shard.tag)) e.original = null;
    void this.target.journal.flush().catch(() => {
      /* the restore writes it again; the originals in memory are what it restores from */
    });
    this.opts.onRevoked?.(this.revoked);
  }

  /** Undoes everything, then the post-flight: differences from the journal's originals fail the run. */
  async end(): Promise<{ done: string[]; problems: string[] }> {
    if (this.keeper) clearInterval(this.keeper);
    this.keeper = null;
    for (const c of this.clients.splice(0)) c.r.disconnect();
    const { done, failed } = await this.target.restore();
    const problems = [...failed, ...(await clusterPostflight(this.target.journal.data, { auth: this.opts.auth, timeoutMs: this.opts.timeoutMs }))];
    if (!problems.length) await this.target.journal.finish();
    return { done, problems };
  }
}
