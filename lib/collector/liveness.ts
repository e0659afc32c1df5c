import "server-only";
/**
 * A cheap liveness check per node: a PING every EVERY_MS on a dedicated connection (so it never
 * waits behind the tick's INFO), each with a short deadline. A frozen process (SIGSTOP, a long
 * blocking command) answers nothing, and INFO would only say so when its own timeout expires at
 * the next tick; MISSES consecutive silent PINGs flip the node to "not answering" within ~0.5 s
 * and ask the collector for an early look. One slow answer under load is not an outage: it takes
 * MISSES in a row. The load is a constant 1000/EVERY_MS PINGs a second per node, whatever the viewers.
 */
import type Redis from "ioredis";
import { createClient } from "../redis/client";
import type { ConnectionAuth } from "../redis/connection-auth";

export const LIVENESS_EVERY_MS = 200;
export const LIVENESS_DEADLINE_MS = 150;
export const LIVENESS_MISSES = 2;

export class Liveness {
  private readonly client: Redis;
  private timer: NodeJS.Timeout | null = null;
  private misses = 0;
  private down = false;
  private stopped = false;
  /** PINGs sent since start, for the load figure (GET /api/health shows nothing of it; the bench reads INFO). */
  sent = 0;

  constructor(
    host: string,
    port: number,
    auth: ConnectionAuth,
    private readonly onFlip: (down: boolean) => void,
  ) {
    this.client = createClient({ host, port, auth, timeoutMs: LIVENESS_DEADLINE_MS });
    this.timer = setTimeout(() => this.beat(), LIVENESS_EVERY_MS);
  }

  /** True once MISSES PINGs in a row went unanswered. */
  get notAnswering(): boolean {
    return this.down;
  }

  /** Worded like the INFO timeout's sentence ("no answer within …"): the same fault reads the same whichever check saw it first. */
  get sentence(): string {
    return `no answer within ${LIVENESS_DEADLINE_MS} ms to ${LIVENESS_MISSES} PINGs in a row (frozen, overloaded or network blackhole)`;
  }

  // PINGs are sent on a fixed cadence, not after the previous answer: a frozen node's misses
  // then come every EVERY_MS, not every deadline + EVERY_MS.
  private beat(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.beat(), LIVENESS_EVERY_MS);
    this.sent++;
    this.client.ping().then(
      () => this.answered(),
      // Only silence counts: a refused or closed connection (kill) is already seen by INFO at
      // once, and a TLS/ACL problem must keep its own sentence, not become "frozen".
      (err: Error) => (/Command timed out/i.test(err.message) ? this.missed() : (this.misses = 0)),
    );
  }

  private answered(): void {
    this.misses = 0;
    if (this.down) {
      this.down = false;
      this.onFlip(false);
    }
  }

  private missed(): void {
    if (this.stopped) return;
    this.misses++;
    if (!this.down && this.misses >= LIVENESS_MISSES) {
      this.down = true;
      this.onFlip(true);
    }
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.client.disconnect();
  }
}
