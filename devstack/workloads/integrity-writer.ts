/**
 * The integrity writer: sequenced writes `chaos:integrity:<run>:<seq>` over a DIRECT
 * connection to the current master (learned from the sentinels, followed across failovers),
 * remembering every write Redis acknowledged. `report()` then reads them back and names the
 * acknowledged writes that are gone — the data a failover or restart really lost.
 */
import crypto from "node:crypto";
import Redis from "ioredis";
import { INTEGRITY_PREFIX } from "../../lib/contract/failure-contract";
import type { IntegrityReport } from "../../lib/contract/workload-answers";
import { redisAuthOptions, type RedisAuth } from "../redis-auth";
import { withRedis } from "../redis-client";
import type { MasterWatch } from "../sentinel/master-watch";
import { messageOf, sleep } from "../timeouts";
import { integrityKey, missingWrites, type AckedWrite } from "./integrity-report";

const KEY_TTL_S = 3600;
/** A run stops itself here so a forgotten writer cannot grow without bound. */
const MAX_WRITES = 200_000;

/** Sequenced writes to the master and their read-back. */
export class IntegrityWriter {
  private client: Redis | null = null;
  private loop: Promise<void> | null = null;
  private active = false;
  private run: string | null = null;
  private seq = 0;
  private acked: AckedWrite[] = [];
  private failed = 0;
  private lastError: string | null = null;
  private startedAt: number | null = null;
  private stoppedAt: number | null = null;
  private readonly onSwitch = () => this.connect();

  constructor(private readonly opts: { watch: MasterWatch; auth: RedisAuth; intervalMs?: number }) {}

  get running(): boolean {
    return this.active;
  }

  /** Starts a new run (stopping any earlier one); its keys expire after an hour. */
  async start(): Promise<{ run: string }> {
    await this.stop();
    this.run = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;
    this.seq = 0;
    this.acked = [];
    this.failed = 0;
    this.lastError = null;
    this.startedAt = Date.now();
    this.stoppedAt = null;
    this.active = true;
    this.opts.watch.on("switch", this.onSwitch);
    this.connect();
    this.loop = this.writeLoop(this.run);
    return { run: this.run };
  }

  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.opts.watch.off("switch", this.onSwitch);
    await this.loop;
    this.client?.disconnect();
    this.client = null;
    this.stoppedAt = Date.now();
  }

  /** Counters plus a read-back of every acknowledged write of the run. */
  async report(): Promise<IntegrityReport> {
    const master = this.opts.watch.current;
    const acked = [...this.acked];
    const base: IntegrityReport = {
      run: this.run,
      running: this.active,
      startedAt: this.startedAt ? new Date(this.startedAt).toISOString() : null,
      stoppedAt: this.stoppedAt ? new Date(this.stoppedAt).toISOString() : null,
      attempted: this.seq,
      acknowledged: acked.length,
      failed: this.failed,
      lastError: this.lastError,
      master: master ? `${master.host}:${master.port}` : null,
      verification: null,
    };
    if (!this.run) return base;
    const checkedAt = new Date().toISOString();
    if (!master) return { ...base, verification: { checkedAt, error: "no master known to the sentinels" } };
    try {
      const run = this.run;
      const present = await withRedis({ port: master.port, auth: this.opts.auth, timeoutMs: 3000 }, async (r) => {
        const out: boolean[] = [];
        for (let i = 0; i < acked.length; i += 1000) {
          const values = await r.mget(...acked.slice(i, i + 1000).map((w) => integrityKey(INTEGRITY_PREFIX, run, w.seq)));
          out.push(...values.map((v) => v !== null));
        }
        return out;
      });
      return { ...base, verification: { checkedAt, checked: acked.length, missing: missingWrites(acked, present) } };
    } catch (err) {
      return { ...base, verification: { checkedAt, error: `read-back failed: ${messageOf(err)}` } };
    }
  }

  /** (Re)connects to the master the sentinels name now; called at start and on every switch. */
  private connect(): void {
    this.client?.disconnect();
    const master = this.opts.watch.current;
    if (!master || !this.active) {
      this.client = null;
      return;
    }
    this.client = new Redis({
      host: master.host,
      port: master.port,
      ...redisAuthOptions(this.opts.auth),
      connectionName: "devstack-integrity",
      connectTimeout: 500,
      commandTimeout: 500,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: (times) => Math.min(times * 100, 500),
    });
    this.client.on("error", () => {
      /* each failed write is counted where it happens */
    });
  }

  private async writeLoop(run: string): Promise<void> {
    while (this.active && this.seq < MAX_WRITES) {
      const seq = ++this.seq;
      try {
        if (!this.client) throw new Error("no master known to the sentinels");
        const reply = await this.client.set(integrityKey(INTEGRITY_PREFIX, run, seq), String(seq), "EX", KEY_TTL_S);
        if (reply !== "OK") throw new Error(`SET answered ${String(reply)}`);
        this.acked.push({ seq, at: Date.now() });
      } catch (err) {
        this.failed++;
        this.lastError = messageOf(err);
        // A demoted master answers READONLY: ask the sentinels now instead of waiting for the poll.
        if (this.lastError.includes("READONLY")) void this.opts.watch.refresh();
      }
      await sleep(this.opts.intervalMs ?? 20);
    }
    if (this.active) {
      // Stopped by MAX_WRITES rather than by stop(): wind down the same way.
      this.active = false;
      this.opts.watch.off("switch", this.onSwitch);
      this.client?.disconnect();
      this.client = null;
      this.stoppedAt = Date.now();
    }
  }
}
