/**
 * Limits failed credential checks (logins and bearer tokens alike) per client and in total.
 * The per-client bucket stops one guesser; the global ceiling, several times higher, stops a
 * spread-out guess without letting one client lock everyone out at its own bucket's size.
 * Pure and in memory.
 */
export interface LimitVerdict {
  limited: boolean;
  /** Milliseconds until a try is allowed again (0 when it is allowed now). */
  retryAfterMs: number;
  /** Which bucket is full, for the message. */
  scope: "client" | "global" | null;
}

class Window {
  private times: number[] = [];
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}
  prune(now: number): number[] {
    this.times = this.times.filter((t) => now - t < this.windowMs);
    return this.times;
  }
  add(now: number): void {
    this.prune(now).push(now);
  }
  waitMs(now: number): number {
    const recent = this.prune(now);
    return recent.length >= this.max ? this.windowMs - (now - recent[0]) : 0;
  }
  get empty(): boolean {
    return this.times.length === 0;
  }
}

export class AttemptLimiter {
  private readonly clients = new Map<string, Window>();
  private readonly global: Window;

  constructor(
    private readonly perClient = 5,
    globalMax = 50,
    private readonly windowMs = 60_000,
  ) {
    this.global = new Window(globalMax, windowMs);
  }

  /** Whether `client` may try a credential now. */
  check(client: string, now = Date.now()): LimitVerdict {
    const own = this.clients.get(client)?.waitMs(now) ?? 0;
    if (own > 0) return { limited: true, retryAfterMs: own, scope: "client" };
    const all = this.global.waitMs(now);
    if (all > 0) return { limited: true, retryAfterMs: all, scope: "global" };
    return { limited: false, retryAfterMs: 0, scope: null };
  }

  fail(client: string, now = Date.now()): void {
    let w = this.clients.get(client);
    if (!w) {
      w = new Window(this.perClient, this.windowMs);
      this.clients.set(client, w);
    }
    w.add(now);
    this.global.add(now);
    // Bounded memory: forget idle clients, then the oldest, past 10 000.
    if (this.clients.size > 10_000) {
      for (const [k, v] of this.clients) if (v.prune(now) && v.empty) this.clients.delete(k);
      while (this.clients.size > 10_000) this.clients.delete(this.clients.keys().next().value as string);
    }
  }

  succeed(client: string): void {
    this.clients.delete(client);
  }
}

/**
 * Who is asking, for the limiter. Behind a trusted proxy (TRUST_PROXY=1) the rightmost
 * X-Forwarded-For entry, the one that proxy appended (everything left of it the client wrote);
 * otherwise "direct": the console binds to loopback, so every direct client is this machine.
 */
export function clientKey(headers: Headers, trustProxy: boolean): string {
  if (!trustProxy) return "direct";
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.at(-1) ?? "direct";
}
