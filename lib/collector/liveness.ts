import "server-only";
/**
 * A cheap liveness check per node: a PING every EVERY_MS on a dedicated connection (so it never
 * waits behind the tick's INFO). A frozen process (SIGSTOP, a long blocking command) answers
 * nothing, and INFO would only say so when its own timeout expires; here the node flips to "not
 * answering" once PINGs have gone unanswered for SILENCE_MS (at least MISSES of them), within
 * ~0.45 s of the freeze, and the collector is asked for an early look. One slow answer under
 * load is not an outage: it takes MISSES PINGs and SILENCE_MS of silence in a row. The load is a
 * constant 1000/EVERY_MS PINGs a second per node, whatever the viewers; a console watching a
 * fleet spreads at most MAX_PINGS_PER_SECOND over all its nodes (measured at 100 deployments:
 * 2,000 PINGs a second were a third of the console's CPU), so a freeze there is seen within ~1 s.
 */
import type Redis from "ioredis";
import { createClient } from "../redis/client";
import type { ConnectionAuth } from "../redis/connection-auth";

export const LIVENESS_EVERY_MS = 100;
/** How long the oldest unanswered PING may wait before the node is called silent. */
export const LIVENESS_SILENCE_MS = 250;
export const LIVENESS_MISSES = 2;
/** Every node's PINGs together, at most: past 40 nodes each node's cadence slows to keep to it. */
export const MAX_PINGS_PER_SECOND = 400;

/** Every running check, so each knows how many share the budget. */
const running = new Set<Liveness>();

/** A node's PING cadence when `nodes` nodes are watched: EVERY_MS, slower past the budget. */
export function livenessEveryMs(nodes: number): number {
  return Math.max(LIVENESS_EVERY_MS, Math.ceil((1000 * nodes) / MAX_PINGS_PER_SECOND));
}
/** The client's own deadline, only so unanswered PINGs do not pile up on a long freeze. */
const CLIENT_TIMEOUT_MS = 2000;

export class Liveness {
  private readonly client: Redis;
  private timer: NodeJS.Timeout | null = null;
  /** When each unanswered PING was sent (performance.now()). */
  private readonly unanswered = new Set<number>();
  private down = false;
  private stopped = false;
  private waiters: (() => void)[] = [];
  /** PINGs sent since start, for the load figure (the bench reads INFO commandstats). */
  sent = 0;

  constructor(
    host: string,
    port: number,
    auth: ConnectionAuth,
    private readonly onFlip: (down: boolean) => void,
  ) {
    this.client = createClient({ host, port, auth, timeoutMs: CLIENT_TIMEOUT_MS });
    running.add(this);
    this.timer = setTimeout(() => this.beat(), livenessEveryMs(running.size));
  }

  /** True once the node has been silent for SILENCE_MS. */
  get notAnswering(): boolean {
    return this.down;
  }

  /** Resolves when the node is (or becomes) silent: a look waiting on its INFO need not wait for INFO's own timeout. */
  whenSilent(): Promise<void> {
    if (this.down) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Worded like the INFO timeout's sentence ("no answer within …"): the same fault reads the same whichever check saw it first. */
  get sentence(): string {
    return `no answer within ${LIVENESS_SILENCE_MS} ms to ${LIVENESS_MISSES} PINGs or more (frozen, overloaded or network blackhole)`;
  }

  // PINGs are sent on a fixed cadence, not after the previous answer, so silence is measured
  // from the first PING the node left unanswered.
  private beat(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.beat(), livenessEveryMs(running.size));
    // Judged after this turn's I/O has been read (setImmediate runs after the poll phase): a
    // console whose event loop stalled must not take answers it has not read yet for silence.
    setImmediate(() => this.judge());
    this.sent++;
    const sentAt = performance.now();
    this.unanswered.add(sentAt);
    this.client.ping().then(
      () => this.answered(),
      // Only silence counts: a refused or closed connection (kill) is seen by INFO at once, and
      // a TLS/ACL problem must keep its own sentence, not become "frozen". A timed-out PING
      // stays counted as unanswered until the node answers again.
      (err: Error) => {
        if (!/Command timed out/i.test(err.message)) this.unanswered.delete(sentAt);
      },
    );
  }

  private judge(): void {
    if (this.stopped || this.down || this.unanswered.size < LIVENESS_MISSES) return;
    const oldest = Math.min(...this.unanswered);
    if (performance.now() - oldest < LIVENESS_SILENCE_MS) return;
    this.down = true;
    for (const w of this.waiters.splice(0)) w();
    this.onFlip(true);
  }

  private answered(): void {
    // An answer means every earlier PING on this connection was answered too (Redis replies in order).
    this.unanswered.clear();
    if (this.down) {
      this.down = false;
      this.onFlip(false);
    }
  }

  close(): void {
    this.stopped = true;
    running.delete(this);
    if (this.timer) clearTimeout(this.timer);
    // Waiters are dropped, not resolved: a closed check says nothing about the node.
    this.waiters = [];
    this.client.disconnect();
  }
}
