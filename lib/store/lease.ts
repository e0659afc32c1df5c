import "server-only";
/**
 * This replica's side of the records lease: renewed every couple of seconds, given up on a clean
 * shutdown, and believed held only until the last renewal's TTL runs out on this replica's clock
 * (the database may already have given it away; its fence refuses the writes then). Taking it
 * runs the handover first: what this replica saw itself while another held it is written, less
 * what the other already wrote, before anything it sees next.
 *
 * A replica still warming up (some deployment's collector has not seen every node, sentinel and
 * layer answer once, lib/collector/warm-up.ts) does not take the lease from another replica: it
 * records no change while warming, so its handover would lack what it did not record, and the
 * other's sightings refused by the fence (a store outage outlasting the lease) would be nobody's.
 * Warm-up ends within WARM_UP_MAX_MS, so a dead holder's lease still moves.
 */
import type { Store } from "./store";

export const RECORDS_LEASE = "records";
/** A dead holder's lease is free after this; with TAKE_EVERY_MS another replica holds within 7 s of its death. */
export const LEASE_TTL_MS = 6000;
export const RENEW_EVERY_MS = 2000;
/**
 * A replica that does not hold the lease asks this often: a dead holder's lease is free 4–6 s
 * after the kill, so another holds within 7 s of it (not 8, at a 2 s period), a margin to the
 * 10 s the team was promised for a loaded machine's late timers and slow queries.
 */
export const TAKE_EVERY_MS = 1000;
/** Stop believing a little before the database's expiry: the renewal's answer may have come late. */
const MARGIN_MS = 500;
/** How far before the previous holder's last answered renewal a new holder looks: its writes may have lagged. */
export const HANDOVER_SLACK_MS = 10_000;

/** One deployment's records that follow the lease: reads the store, then applies synchronously. */
export interface Handover {
  /** The apply step may say what it wrote, for the log line of the take. */
  handover(store: Store, since: number): Promise<() => string | void>;
  /** After each renewal, on every replica: what the others wrote that this one shows too. */
  follow?(store: Store): Promise<void>;
}

export interface LeaseView {
  /** Who holds it as the last renewal saw it (null: not known yet, or the store is down). */
  holder: string | null;
  mine: boolean;
  expiresAt: string | null;
  /** Since when this replica holds it. */
  heldSince: string | null;
  /** Why the lease could not be renewed, or null. */
  problem: string | null;
}

export class LeaseKeeper {
  private holding = false;
  private heldUntil = 0;
  private heldSince: string | null = null;
  private holder: string | null = null;
  private expiresAt: string | null = null;
  private problem: string | null = null;
  /** The database's time of this replica's last renewal answered while it held: where a next holder's handover starts (lib/store/lease-repo.ts). */
  private confirmedAt: string | null = null;
  /** Set when this replica took the lease and has not yet handed over: from when to look. */
  private takeoverSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  /** When this replica last sent a renewal it got the answer to while holding (its clock). */
  private lastRenewalSent = 0;
  private readonly handovers = new Set<Handover>();
  /** Deployments whose collector on this replica is still warming up. */
  private readonly warming = new Set<string>();
  /** The replica this one last let keep the lease while warming up (said once in the log). */
  private yieldedTo: string | null = null;

  constructor(
    private readonly store: () => Store | null,
    readonly replicaId: string,
    private readonly ttlMs = LEASE_TTL_MS,
    private readonly everyMs = RENEW_EVERY_MS,
    private readonly log: (line: string) => void = (l) => console.log(`[store] ${l}`),
  ) {}

  register(h: Handover): void {
    this.handovers.add(h);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), Math.min(TAKE_EVERY_MS, this.everyMs));
    this.timer.unref();
    void this.renew();
  }

  /** Each collector says whether it is still warming up, after every look; a stopped one says false. */
  setWarmingUp(deployment: string, on: boolean): void {
    if (on) this.warming.add(deployment);
    else this.warming.delete(deployment);
  }

  /** True while this replica may write what is derived from observation. */
  holds(): boolean {
    if (this.holding && Date.now() >= this.heldUntil) this.lose("its last renewal ran out");
    return this.holding;
  }

  view(): LeaseView {
    const mine = this.holds();
    return { holder: this.holder, mine, expiresAt: this.expiresAt, heldSince: mine ? this.heldSince : null, problem: this.problem };
  }

  /** The holder renews every `everyMs`; the others try to take it at every tick. */
  private tick(): void {
    if (this.holds() && Date.now() - this.lastRenewalSent < this.everyMs - 100) return;
    void this.renew();
  }

  /** One renewal (or attempt to take it); never two at once. */
  renew(): Promise<void> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = null));
    return this.renewing;
  }

  /** A clean shutdown: another replica need not wait out the TTL. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const store = this.store();
    const held = this.holding;
    this.holding = false;
    if (store && held) await store.leases.release(RECORDS_LEASE, this.replicaId).catch(() => {});
  }

  private async renewOnce(): Promise<void> {
    const store = this.store();
    if (!store || !this.timer) return;
    const sent = Date.now();
    try {
      if (!this.holds() && this.warming.size > 0) {
        const last = await store.leases.lastHolder(RECORDS_LEASE);
        if (last && last.holder !== this.replicaId) {
          this.problem = null;
          this.holder = last.expired ? null : last.holder;
          this.expiresAt = last.expired ? null : last.expiresAt;
          if (this.yieldedTo !== last.holder)
            this.log(
              `this replica (${this.replicaId}) is warming up (${[...this.warming].join(", ")}): it leaves the records lease to ${last.holder} until it has seen everything answer once`,
            );
          this.yieldedTo = last.holder;
          return;
        }
      }
      const grant = await store.leases.acquire(RECORDS_LEASE, this.replicaId, this.ttlMs, this.holds() ? this.confirmedAt : null);
      this.problem = null;
      this.holder = grant.holder;
      this.expiresAt = grant.expiresAt;
      if (grant.holder !== this.replicaId) {
        this.takeoverSince = null;
        if (this.holding) this.lose(`${grant.holder} holds it`);
        return;
      }
      // Taken afresh while this replica thought it held it (it expired in between): hand over again.
      if (grant.took && this.holding) this.lose("it expired before this renewal");
      this.heldUntil = sent + this.ttlMs - MARGIN_MS;
      if (!this.holding) {
        this.takeoverSince ??= grant.previous ? Date.parse(grant.previous.renewedAt) - HANDOVER_SLACK_MS : -Infinity;
        await this.handover(store, this.takeoverSince, grant.previous?.holder ?? null);
      }
      this.confirmedAt = grant.at;
      this.lastRenewalSent = sent;
    } catch (err) {
      this.problem = (err as Error).message;
      this.holds();
    } finally {
      if (!this.problem) await this.followOthers(store);
    }
  }

  private async followOthers(store: Store): Promise<void> {
    // PGlite belongs to this one process: no other replica writes there, so there is nothing to
    // follow (and one read per deployment every renewal was a steady cost for a fleet of 100).
    if (store.engine === "pglite") return;
    try {
      for (const h of this.handovers) await h.follow?.(store);
    } catch {
      /* read again after the next renewal */
    }
  }

  private async handover(store: Store, since: number, from: string | null): Promise<void> {
    const apply = await Promise.all([...this.handovers].map((h) => h.handover(store, since)));
    // No await from here: what was seen up to now is queued by the handover, what is seen next by the saves.
    const wrote = apply.map((a) => a()).filter((w): w is string => !!w);
    this.holding = true;
    this.heldSince = new Date().toISOString();
    this.takeoverSince = null;
    // Where the handover started and what it wrote: what an SRE needs to tell a gap in the records after a store outage.
    const seen = Number.isFinite(since)
      ? `; from what it saw since ${new Date(since).toISOString()} it writes ${wrote.length ? wrote.join(", ") : "nothing"}`
      : "";
    this.log(`this replica (${this.replicaId}) holds the records lease${from && from !== this.replicaId ? `, taken over from ${from}` : ""}${seen}`);
  }

  private lose(why: string): void {
    this.holding = false;
    this.confirmedAt = null;
    this.heldSince = null;
    this.log(`this replica (${this.replicaId}) no longer holds the records lease: ${why}`);
  }
}
