import "server-only";
/**
 * Memory by key class, from a bounded sample of the master's keys: each pass SCANs on (COUNT,
 * never KEYS) from where the last pass stopped, takes MEMORY USAGE and PTTL of at most
 * KEYS_PER_PASS keys, and re-checks at most RECHECK_PER_PASS earlier ones to see which vanished
 * before their TTL (evictions). Budget: 6 passes a minute, so at most 180 keys sampled and 180
 * re-checked per minute, on the collector's connection to the master.
 */
import type Redis from "ioredis";
import type { Collector } from "../collector/collector";
import { describeRedisError } from "../redis/client";
import { deniedCommand, noPermissionSentence } from "../redis/connection-error";
import { EvictionLedger } from "./eviction-ledger";
import { estimateClasses, guideSizing, sampleKey, scaleTriggers, type SampledKey } from "./estimate";
import type { KeyspaceReport } from "./types";
import type { NodeSnapshot, Snapshot } from "../snapshot/types";

const PASS_SECONDS = 10;
const FIRST_PASS_MS = 2000;
const KEYS_PER_PASS = 30;
const RECHECK_PER_PASS = 30;
const MAX_SCANS_PER_PASS = 4;
/** A sample this old no longer describes the keyspace; the walk will come by again. */
const MAX_AGE_SECONDS = 180;
/** A key gone within this margin of its TTL expired; gone earlier, it was evicted or deleted. */
const TTL_SLACK_MS = 2000;

type Reply = [Error | null, unknown];

export class KeyspaceSampler {
  private samples = new Map<string, SampledKey>();
  private ledger = new EvictionLedger();
  private cursor = "0";
  private masterId: string | null = null;
  private passes = 0;
  private fullWalks = 0;
  private memoryUsage = true;
  private dbsize: number | null = null;
  private usedMemory: number | null = null;
  private at: number | null = null;
  private state: KeyspaceReport["state"] = "warming-up";
  private error: string | undefined;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly collector: Collector,
    /** The node to sample: the master (a Sentinel deployment), or on a cluster one shard's master. */
    private readonly pick: (s: Snapshot) => NodeSnapshot | undefined = (s) => s.redis.nodes.find((n) => n.up && n.role === "master"),
  ) {}

  start(): void {
    if (this.timer) return;
    const loop = async () => {
      await this.pass();
      this.timer = setTimeout(() => void loop(), PASS_SECONDS * 1000);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void loop(), FIRST_PASS_MS);
    this.timer.unref();
  }

  /** One sampling pass; never throws, never overlaps another. */
  async pass(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const now = Date.now();
    try {
      const snapshot = this.collector.snapshot();
      if (snapshot.seq === 0) return; // the collector has not looked yet
      const master = this.pick(snapshot);
      const client = master && this.collector.nodeClients().find((c) => c.id === master.id);
      if (!master || !client) {
        this.state = "no-master";
        this.error = "no master answers: nothing to sample until one does";
        return;
      }
      if (master.id !== this.masterId) {
        this.masterId = master.id;
        this.cursor = "0";
        this.samples.clear();
      }
      this.usedMemory = master.usedMemory;
      this.ledger.observeCounter(now, master.id, master.evictedKeys);
      await this.sample(client.redis, now);
      this.ledger.settle(now);
      this.passes++;
      this.state = this.passes >= 3 || this.fullWalks > 0 ? "ok" : "warming-up";
      this.error = undefined;
      this.at = now;
    } catch (err) {
      this.state = "error";
      const master = this.masterId ? this.collector.nodeClients().find((c) => c.id === this.masterId) : undefined;
      const denied = deniedCommand(err instanceof Error ? err.message : String(err));
      // A permission the console lacks switches off this feature only, and says so.
      this.error = denied
        ? noPermissionSentence(this.collector.settings.redis.username, denied, "memory by key class is off")
        : describeRedisError(err, this.collector.settings.timeouts.redisMs, master?.redis);
    } finally {
      this.running = false;
    }
  }

  private async scanOn(redis: Redis): Promise<string[]> {
    const fresh = new Set<string>();
    for (let i = 0; i < MAX_SCANS_PER_PASS && fresh.size < KEYS_PER_PASS; i++) {
      const [next, keys] = await redis.scan(this.cursor, "COUNT", KEYS_PER_PASS);
      this.cursor = next;
      for (const k of keys) if (fresh.size < KEYS_PER_PASS) fresh.add(k);
      if (next === "0") {
        this.fullWalks++;
        break;
      }
    }
    return [...fresh];
  }

  private async sample(redis: Redis, now: number): Promise<void> {
    const fresh = await this.scanOn(redis);
    const recheck = [...this.samples.values()]
      .filter((s) => !fresh.includes(s.key))
      .sort((a, b) => a.checkedAt - b.checkedAt)
      .slice(0, RECHECK_PER_PASS);
    const withUsage = this.memoryUsage;
    const p = redis.pipeline();
    for (const k of fresh) {
      if (withUsage) p.call("MEMORY", "USAGE", k);
      p.pttl(k);
    }
    for (const s of recheck) p.pttl(s.key);
    p.dbsize();
    const replies: Reply[] = (await p.exec()) ?? [];
    let i = 0;
    const next = (): Reply => replies[i++] ?? [new Error("missing pipeline reply"), null];
    for (const k of fresh) {
      const [usageErr, usage] = withUsage ? next() : [null, null];
      if (usageErr && /unknown command|NOPERM/i.test(usageErr.message)) this.memoryUsage = false;
      const [ttlErr, pttl] = next();
      if (ttlErr) throw ttlErr;
      if (pttl === -2) continue; // gone between SCAN and now
      this.samples.set(k, sampleKey(k, typeof usage === "number" ? usage : null, Number(pttl), now));
    }
    for (const s of recheck) {
      const [err, pttl] = next();
      if (err) throw err;
      if (pttl === -2) {
        this.samples.delete(s.key);
        // Gone once its TTL ran out is expiry, not eviction: that check says nothing either way.
        if (s.expiresAt === null || s.expiresAt > now + TTL_SLACK_MS) this.ledger.observeCheck(now, s.keyClass, now - s.checkedAt, true);
      } else {
        this.ledger.observeCheck(now, s.keyClass, now - s.checkedAt, false);
        s.checkedAt = now;
        s.expiresAt = Number(pttl) > 0 ? now + Number(pttl) : null;
      }
    }
    const [dbErr, dbsize] = next();
    if (dbErr) throw dbErr;
    this.dbsize = Number(dbsize);
    for (const s of this.samples.values()) if (s.sampledAt < now - MAX_AGE_SECONDS * 1000) this.samples.delete(s.key);
  }

  /** The current estimate; `withExamples` false leaves every key name out (presentation mode). */
  report(withExamples: boolean): KeyspaceReport {
    const samples = [...this.samples.values()];
    const classes = estimateClasses(samples, this.dbsize ?? 0, this.ledger.byClass, withExamples);
    const l = this.ledger;
    return {
      at: this.at === null ? null : new Date(this.at).toISOString(),
      state: this.state,
      ...(this.error ? { error: this.error } : {}),
      master: this.masterId,
      dbsize: this.dbsize,
      usedMemory: this.usedMemory,
      sample: {
        keys: samples.length,
        passes: this.passes,
        fullWalks: this.fullWalks,
        passSeconds: PASS_SECONDS,
        keysPerPass: KEYS_PER_PASS,
        recheckPerPass: RECHECK_PER_PASS,
        maxAgeSeconds: MAX_AGE_SECONDS,
        memoryUsage: this.memoryUsage,
      },
      classes,
      evictions: {
        observed: l.observed,
        attributed: Math.round(l.attributed),
        pending: l.pendingCount,
        unattributed: l.unattributed,
        since: l.since === null ? null : new Date(l.since).toISOString(),
        method:
          "estimated: evictions are shared out by the classes whose sampled keys vanished before their TTL faster than they do without evictions (last 5 min)",
      },
      sizing: guideSizing(samples),
      scaleTriggers: scaleTriggers(classes, this.usedMemory),
    };
  }
}
