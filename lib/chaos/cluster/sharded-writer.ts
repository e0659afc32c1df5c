import "server-only";
/**
 * Sequenced writes across every shard with a cluster-aware client, for data-integrity on the
 * cluster: one writer per shard (so a dead shard stalls only its own), each SET of
 * `chaos:integrity:{<run>-<shard tag>}:<seq>` about every 20 ms, recorded with when it was
 * acknowledged. Every key carries a 15-minute TTL as a backstop; the restore deletes them.
 * Read back per shard with MGET: a shard's keys share one hash tag, so one slot.
 */
import { Cluster } from "ioredis";
import { INTEGRITY_PREFIX } from "../../contract/failure-contract";
import { SANDBOX_HOST } from "../../contract/ports";
import type { SandboxNode } from "./cluster-reader";
import type { ShardRef } from "./shard-map";
import { shardOfKey } from "./shard-tenants";

const WRITE_EVERY_MS = 20;
const TIMEOUT_MS = 1000;
const BACKSTOP_TTL_S = 900;
const READ_CHUNK = 200;

export interface WriteRecord {
  shard: string;
  seq: number;
  key: string;
  sentAt: number;
  /** When the write was acknowledged; null when it failed or timed out. */
  ackAt: number | null;
}

export interface ShardReadBack {
  acknowledged: number;
  refused: number;
  /** Acknowledged writes that were not there to read back. */
  lost: WriteRecord[];
  /** Why the read-back did not complete, if it did not. */
  error: string | null;
}

/** A hash tag per shard whose slot lives on that shard, named after the run. */
export function shardTags(shards: ShardRef[], runId: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 0; i < 10_000 && Object.keys(tags).length < shards.length; i++) {
    const tag = `${runId}-w${i}`;
    const shard = shardOfKey(shards, tag);
    if (shard && !tags[shard]) tags[shard] = tag;
  }
  return tags;
}

export class ShardedWriter {
  readonly writes: WriteRecord[] = [];
  private readonly cluster: Cluster;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    nodes: SandboxNode[],
    password: string | undefined,
    private readonly tags: Record<string, string>,
  ) {
    this.cluster = new Cluster(
      nodes.map((n) => ({ host: SANDBOX_HOST, port: n.port })),
      {
        redisOptions: { password, connectTimeout: TIMEOUT_MS, commandTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, disableClientInfo: true },
        // A refused write is a finding, not something to queue: the writer counts it and goes on.
        enableOfflineQueue: false,
        // Learn a promoted replica within a second, not at the default 5 s.
        slotsRefreshInterval: 1000,
        slotsRefreshTimeout: TIMEOUT_MS,
        // No hidden retries: a write refused while the cluster is down or a master is gone is counted as refused.
        retryDelayOnClusterDown: 0,
        retryDelayOnFailover: 0,
        clusterRetryStrategy: (times) => Math.min(100 * times, 1000),
      },
    );
    this.cluster.on("error", () => {
      /* each failed write is recorded; the event itself must not crash the console */
    });
  }

  /** Resolves once the client knows the slots (bounded), so the first writes are not refused for want of a connection. */
  ready(timeoutMs = 10_000): Promise<void> {
    if (this.cluster.status === "ready") return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the cluster client was not ready within ${timeoutMs} ms`)), timeoutMs);
      this.cluster.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async writeLoop(shard: string): Promise<void> {
    for (let seq = 0; this.running; seq++) {
      const key = `${INTEGRITY_PREFIX}{${this.tags[shard]}}:${seq}`;
      const rec: WriteRecord = { shard, seq, key, sentAt: Date.now(), ackAt: null };
      this.writes.push(rec);
      try {
        if ((await this.cluster.set(key, String(seq), "EX", BACKSTOP_TTL_S)) === "OK") rec.ackAt = Date.now();
      } catch {
        /* not acknowledged: counted as refused */
      }
      const rest = WRITE_EVERY_MS - (Date.now() - rec.sentAt);
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    }
  }

  start(): void {
    this.running = true;
    this.loops = Object.keys(this.tags).map((shard) => this.writeLoop(shard));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Acknowledged writes of `shard` whose ack came after `since`. */
  acknowledgedSince(shard: string, since: number): number {
    return this.writes.filter((w) => w.shard === shard && w.ackAt !== null && w.ackAt >= since).length;
  }

  /** Reads every acknowledged key back, per shard. */
  async readBack(): Promise<Record<string, ShardReadBack>> {
    const out: Record<string, ShardReadBack> = {};
    for (const shard of Object.keys(this.tags)) {
      const mine = this.writes.filter((w) => w.shard === shard);
      const acked = mine.filter((w) => w.ackAt !== null);
      const result: ShardReadBack = { acknowledged: acked.length, refused: mine.length - acked.length, lost: [], error: null };
      try {
        for (let i = 0; i < acked.length; i += READ_CHUNK) {
          const chunk = acked.slice(i, i + READ_CHUNK);
          const values = await this.cluster.mget(...chunk.map((w) => w.key));
          chunk.forEach((w, j) => values[j] === null && result.lost.push(w));
        }
      } catch (err) {
        result.error = (err as Error).message;
      }
      out[shard] = result;
    }
    return out;
  }

  close(): void {
    this.cluster.disconnect();
  }
}
