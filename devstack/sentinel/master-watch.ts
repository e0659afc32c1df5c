/**
 * Follows the current master the way a Sentinel-aware client does: asks the sentinels
 * (SENTINEL GET-MASTER-ADDR-BY-NAME), listens for `+switch-master` on every sentinel, and polls
 * once a second as a safety net because a frozen or restarted sentinel drops its subscription.
 */
import { EventEmitter } from "node:events";
import Redis from "ioredis";
import { redisAuthOptions, type RedisAuth } from "../redis-auth";
import { withTimeout } from "../timeouts";
import { parseSwitchMaster, pickMaster, splitAddress, type MasterAddress } from "./master-choice";

export interface SentinelEndpoint {
  name: string;
  port: number;
}

export interface MasterWatchOptions {
  sentinels: SentinelEndpoint[];
  masterName: string;
  /** The devstack's login to the sentinels (password and TLS on the TLS + ACL sandbox). */
  auth?: RedisAuth;
  pollMs?: number;
  log: (message: string) => void;
}

// Sentinel connections: short timeouts so a frozen sentinel costs one poll at most 300 ms,
// steady reconnects so a restarted sentinel is heard from again within a second.
const SENTINEL_CLIENT = {
  host: "127.0.0.1",
  connectTimeout: 500,
  commandTimeout: 300,
  retryStrategy: () => 500,
} as const;

/** Emits "switch" (address, previous) whenever the master the sentinels agree on changes. */
export class MasterWatch extends EventEmitter {
  private queries: Redis[] = [];
  private subscribers: Redis[] = [];
  private timer: NodeJS.Timeout | null = null;
  private address: MasterAddress | null = null;

  constructor(private readonly opts: MasterWatchOptions) {
    super();
  }

  /** The master as last learned, or null before the first answer. */
  get current(): { host: string; port: number } | null {
    return this.address ? splitAddress(this.address) : null;
  }

  /** Learns the master (waiting up to timeoutMs for a sentinel to answer), then keeps following it. */
  async start(timeoutMs = 10_000): Promise<void> {
    for (const s of this.opts.sentinels) {
      const query = new Redis({
        ...SENTINEL_CLIENT,
        ...redisAuthOptions(this.opts.auth ?? {}),
        port: s.port,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
      });
      query.on("error", () => {
        /* a down sentinel is normal here; the poll simply gets no answer from it */
      });
      this.queries.push(query);
      // The subscriber queues SUBSCRIBE until the sentinel is reachable (possibly much later).
      const sub = new Redis({
        ...SENTINEL_CLIENT,
        ...redisAuthOptions(this.opts.auth ?? {}),
        port: s.port,
        commandTimeout: undefined,
        maxRetriesPerRequest: null,
      });
      sub.on("error", () => {
        /* reconnects on its own; the poll covers the gap */
      });
      sub.on("message", (_channel: string, message: string) => {
        const addr = parseSwitchMaster(message, this.opts.masterName);
        if (addr) this.set(addr, `+switch-master from ${s.name}`);
      });
      sub.subscribe("+switch-master").catch(() => {
        /* retried by autoResubscribe after reconnect */
      });
      this.subscribers.push(sub);
    }
    const deadline = Date.now() + timeoutMs;
    while (!(await this.refresh()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (!this.address) throw new Error(`no sentinel named a master "${this.opts.masterName}" within ${timeoutMs} ms`);
    this.timer = setInterval(() => void this.refresh(), this.opts.pollMs ?? 1000);
  }

  /** Asks every sentinel now and adopts the majority answer. */
  async refresh(): Promise<{ host: string; port: number } | null> {
    const answers = await Promise.all(
      this.queries.map(async (q) => {
        try {
          const reply = (await withTimeout(q.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.opts.masterName), 500, "SENTINEL GET-MASTER-ADDR-BY-NAME")) as
            string[] | null;
          return reply ? `${reply[0]}:${reply[1]}` : null;
        } catch {
          return null;
        }
      }),
    );
    const addr = pickMaster(answers, this.address);
    if (addr) this.set(addr, "sentinel poll");
    return this.current;
  }

  private set(addr: MasterAddress, reason: string): void {
    if (addr === this.address) return;
    const previous = this.address;
    this.address = addr;
    if (previous) this.opts.log(`master-watch: master is now ${addr} (was ${previous}; ${reason})`);
    this.emit("switch", splitAddress(addr), previous ? splitAddress(previous) : null);
  }

  /** Answers the first live sentinel gives to a command (e.g. SENTINEL FAILOVER); throws if none answers. */
  async askAnySentinel(args: string[], skip: (name: string) => boolean = () => false): Promise<{ sentinel: string; reply: unknown }> {
    const reasons: string[] = [];
    for (let i = 0; i < this.queries.length; i++) {
      const name = this.opts.sentinels[i].name;
      if (skip(name)) continue;
      try {
        const reply = await withTimeout(this.queries[i].call(args[0], ...args.slice(1)), 1000, args.join(" "));
        return { sentinel: name, reply };
      } catch (err) {
        reasons.push(`${name}: ${(err as Error).message}`);
      }
    }
    throw new Error(`no sentinel accepted ${args.join(" ")} (${reasons.join("; ") || "all skipped"})`);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const c of [...this.queries, ...this.subscribers]) c.disconnect();
    this.queries = [];
    this.subscribers = [];
  }
}
