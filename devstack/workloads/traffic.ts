/**
 * Steady traffic against the four layers at a modest total rate, round-robin, with per-layer
 * counts, outcomes by status and latency percentiles over a sliding window. Every request has
 * a timeout and in-flight requests are capped, so a hung layer costs timeouts, not memory.
 */
import { DEFAULT_RPS } from "../../lib/contract/control-requests";
import type { LayerId } from "../../lib/contract/failure-contract";
import type { TrafficStats } from "../../lib/contract/workload-answers";
import { LatencyWindow } from "./latency-window";
import { dueRequests, outcomeKey, plannedRequest } from "./traffic-plan";

const TICK_MS = 50;
const REQUEST_TIMEOUT_MS = 2000;
const MAX_IN_FLIGHT = 100;
const LATENCY_WINDOW_MS = 60_000;

interface LayerCounters {
  requests: number;
  ok: number;
  errors: number;
  byStatus: Record<string, number>;
  byRedisError: Record<string, number>;
  latency: LatencyWindow;
  sent: number;
  session: string | null;
}

/** The traffic workload; `targets` are the layers' base URLs. */
export class TrafficWorkload {
  private timer: NodeJS.Timeout | null = null;
  private counters = new Map<LayerId, LayerCounters>();
  private rps = DEFAULT_RPS;
  private startedAt: number | null = null;
  private inFlight = 0;
  private skipped = 0;
  private next = 0;

  constructor(private readonly targets: { id: LayerId; url: string }[]) {
    this.resetStats();
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Starts (or restarts at a new rate); stats start over. */
  start(rps = DEFAULT_RPS): void {
    this.stop();
    this.resetStats();
    this.rps = rps;
    this.startedAt = Date.now();
    let carry = 0;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      const due = dueRequests(carry, this.rps, now - last);
      carry = due.carry;
      last = now;
      for (let i = 0; i < due.send; i++) this.fire();
    }, TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  resetStats(): void {
    this.skipped = 0;
    for (const t of this.targets) {
      this.counters.set(t.id, {
        requests: 0,
        ok: 0,
        errors: 0,
        byStatus: {},
        byRedisError: {},
        latency: new LatencyWindow(LATENCY_WINDOW_MS),
        sent: 0,
        session: null,
      });
    }
  }

  stats(): TrafficStats {
    const now = Date.now();
    const layers: TrafficStats["layers"] = {};
    for (const [id, c] of this.counters) {
      layers[id] = {
        requests: c.requests,
        ok: c.ok,
        errors: c.errors,
        byStatus: { ...c.byStatus },
        byRedisError: { ...c.byRedisError },
        latencyMs: c.latency.summary(now),
      };
    }
    return {
      running: this.running,
      rps: this.rps,
      startedAt: this.startedAt ? new Date(this.startedAt).toISOString() : null,
      windowSeconds: LATENCY_WINDOW_MS / 1000,
      inFlight: this.inFlight,
      skipped: this.skipped,
      layers,
    };
  }

  private fire(): void {
    const target = this.targets[this.next++ % this.targets.length];
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.skipped++;
      return;
    }
    void this.send(target);
  }

  private async send(target: { id: LayerId; url: string }): Promise<void> {
    const c = this.counters.get(target.id)!;
    const plan = plannedRequest(target.id, c.sent++, c.session);
    const started = performance.now();
    let status: number | null = null;
    let timedOut = false;
    this.inFlight++;
    try {
      const res = await fetch(target.url + plan.path, {
        method: plan.method,
        headers: { ...(plan.body ? { "content-type": "application/json" } : {}), ...plan.headers },
        body: plan.body ? JSON.stringify(plan.body) : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = res.status;
      // The layers name the Redis error behind a degraded or failed answer (READONLY: writing to a replica).
      const redisError = res.headers.get("x-redis-error");
      if (redisError) c.byRedisError[redisError] = (c.byRedisError[redisError] ?? 0) + 1;
      const body = (await res.json().catch(() => null)) as { id?: string } | null;
      if (target.id === "L3" && plan.method === "POST" && status === 201 && body?.id) c.session = body.id;
      if (target.id === "L3" && plan.method === "DELETE") c.session = null;
    } catch (err) {
      timedOut = (err as Error).name === "TimeoutError";
    } finally {
      this.inFlight--;
    }
    const key = outcomeKey(status, timedOut);
    c.requests++;
    c.byStatus[key] = (c.byStatus[key] ?? 0) + 1;
    if (status !== null && status >= 200 && status < 300) c.ok++;
    else c.errors++;
    c.latency.add(Date.now(), performance.now() - started);
  }
}
