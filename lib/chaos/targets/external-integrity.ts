import "server-only";
/**
 * Sequenced writes on an external target, to count the acknowledged writes a crash or a failover
 * loses: `SET rrc:integrity:<run>:<seq> <time> PX 1h` every `everyMs` on the master of the moment
 * (the sentinels asked again after an error), each acknowledged one remembered; afterwards every
 * acknowledged key is read back from the master. The keys' pattern is journaled before the first
 * write, so the restore deletes them whatever happens. Only `set`/`get` on rrc:*: the chaos ACL.
 */
import type Redis from "ioredis";
import type { FaultJournal, NodeAddress } from "../journal";
import type { DataLoss } from "../scenarios/rpo";
import { openClient } from "./connect";
import type { ExternalTarget } from "./external";

const KEY_TTL_MS = 3_600_000;
const READ_BATCH = 200;

export class ExternalIntegrityWriter {
  private client: Redis | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly acknowledged: { seq: number; at: number }[] = [];
  private seq = 0;
  failed = 0;
  /** Acknowledged before the fault (set by the run when it strikes). */
  before = 0;

  constructor(
    private readonly target: ExternalTarget,
    private readonly journal: FaultJournal,
    private readonly everyMs: number,
  ) {}

  private get prefix(): string {
    return `rrc:integrity:${this.journal.data.runId}:`;
  }

  async start(): Promise<void> {
    const master = await this.target.master();
    await this.journal.record({ kind: "filler", node: master, pattern: `${this.prefix}*` });
    this.client = await openClient(master, this.target.opts.auth, this.target.opts.timeoutMs);
    this.loop = this.run();
  }

  get count(): number {
    return this.acknowledged.length;
  }

  private async reconnect(): Promise<void> {
    this.client?.disconnect();
    this.client = null;
    const master: NodeAddress | null = await this.target.master().catch(() => null);
    if (master) this.client = await openClient(master, this.target.opts.auth, this.target.opts.timeoutMs).catch(() => null);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const due = Date.now() + this.everyMs;
      const seq = ++this.seq;
      try {
        if (!this.client) throw new Error("no master");
        await this.client.set(`${this.prefix}${seq}`, String(Date.now()), "PX", KEY_TTL_MS);
        this.acknowledged.push({ seq, at: Date.now() });
      } catch {
        // A crashed or demoted master: ask the sentinels which node is master now.
        this.failed++;
        await this.reconnect();
      }
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
  }

  /** Stops writing and reads every acknowledged key back from the master of now. */
  async stop(): Promise<DataLoss> {
    this.stopped = true;
    await this.loop;
    try {
      await this.reconnect();
      if (!this.client) return { verified: false, why: "no master answers for the read-back" };
      const missing: { seq: number; at: number }[] = [];
      for (let i = 0; i < this.acknowledged.length; i += READ_BATCH) {
        const batch = this.acknowledged.slice(i, i + READ_BATCH);
        const p = this.client.pipeline();
        for (const a of batch) p.get(`${this.prefix}${a.seq}`);
        const answers = (await p.exec()) ?? [];
        batch.forEach((a, j) => {
          const [err, value] = answers[j] ?? [new Error("no answer"), null];
          if (err) throw err;
          if (value === null) missing.push(a);
        });
      }
      const from = missing[0]?.at;
      const to = missing[missing.length - 1]?.at;
      return {
        verified: true,
        acknowledged: this.acknowledged.length,
        lost: missing.length,
        windowMs: missing.length ? to! - from! : 0,
        from: from ? new Date(from).toISOString() : null,
        to: to ? new Date(to).toISOString() : null,
      };
    } catch (err) {
      return { verified: false, why: `read-back failed: ${(err as Error).message}` };
    } finally {
      this.client?.disconnect();
    }
  }
}
