import "server-only";
/**
 * When the collector looks at Redis: every tick, again at once when an event asks (a dropped
 * connection, a +switch-master), and soon after a look that saw a change; never two looks at
 * once, and extra looks at most every MIN_LOOK_GAP_MS so a flapping connection cannot turn into
 * load. A request inside that gap is deferred to its end, not dropped: a +switch-master must not
 * wait a whole tick.
 */
import type { Snapshot } from "../snapshot/types";

export type LookCause = Snapshot["tick"]["cause"];

/** Extra looks (a dropped connection, a sentinel event, a change) come at most this often. */
export const MIN_LOOK_GAP_MS = 200;

export class LookSchedule {
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private tickAgain = false;
  /** An event asked for a look since the last one began (the next look is then an "event" look). */
  private lookRequested = false;
  private changedLastTick = false;
  private lastTickStart = 0;
  private started = false;
  private stopped = false;

  constructor(
    /** One look; what it throws is the caller's to record (`failed`). */
    private readonly look: (cause: LookCause) => Promise<void>,
    private readonly tickMs: () => number,
    private readonly failed: (err: Error) => void,
  ) {}

  /** The first look once `ready` (the clients settled), then one every tick; an event may ask for one before. */
  start(ready: Promise<void>): void {
    this.started = true;
    void ready.then(() => this.loop());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The look that ran saw a change: the next one comes after the gap, not a whole tick later. */
  sawChange(): void {
    this.changedLastTick = true;
  }

  /** Look again now; coalesced with a running look. */
  request(): void {
    // Before start the first look is still waiting for the clients to settle.
    if (this.stopped || !this.started) return;
    this.lookRequested = true;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    const wait = MIN_LOOK_GAP_MS - (Date.now() - this.lastTickStart);
    if (this.timer) clearTimeout(this.timer);
    if (wait > 0) this.timer = setTimeout(() => void this.loop(), wait);
    else void this.loop();
  }

  private async loop(): Promise<void> {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    this.lastTickStart = Date.now();
    const cause: LookCause = this.lookRequested ? "event" : "schedule";
    this.lookRequested = false;
    try {
      await this.look(cause);
    } catch (err) {
      this.failed(err as Error);
    } finally {
      this.ticking = false;
    }
    if (this.stopped) return;
    const again = this.tickAgain;
    const soon = this.changedLastTick;
    this.tickAgain = false;
    this.changedLastTick = false;
    const elapsed = Date.now() - this.lastTickStart;
    const wait = again ? 0 : soon ? Math.max(0, MIN_LOOK_GAP_MS - elapsed) : Math.max(0, this.tickMs() - elapsed);
    this.timer = setTimeout(() => void this.loop(), wait);
  }
}
