import "server-only";
/**
 * One deployment's records derived from observation (timeline events, incidents, failovers):
 * every replica sees them, only the lease holder writes them, fenced by the lease in the same
 * statement. A chaos step is not observed but done, by the replica running the run: that replica
 * writes it whoever holds the lease. On taking the lease, the handover writes what this replica
 * saw while another held it, less what the other wrote (lib/store/handover.ts).
 */
import type { Incident } from "../incidents/types";
import type { TimelineEvent } from "../timeline/types";
import type { StoredFailover } from "./failovers-repo";
import { EVENT_MATCH_MS, eventsToWrite, incidentsToWrite, spansToWrite } from "./handover";
import { RECORDS_LEASE, type Handover, type LeaseKeeper } from "./lease";
import { PendingRecords } from "./pending";
import type { Store } from "./store";
import type { LeaseFence } from "./timeline-repo";
import type { RecordWriter } from "./writer";

/** What the store keeps of any failover, Sentinel's (masterName, endedAt) or a Cluster shard's (shard, okAt). */
export type ObservedFailover = StoredFailover & { masterName?: string; shard?: string; endedAt?: string | null; okAt?: string | null };

/** This replica's own view, read at a handover. */
export interface ObservedSource {
  /** Timeline events this process appended. */
  ownEvents(): TimelineEvent[];
  incidents(): { seq: number; incidents: Incident[] };
  failovers(): ObservedFailover[];
  /** Shows and folds another replica's event without saving it; false when it is already here. */
  ingest?(event: TimelineEvent): boolean;
}

/** How far back another replica's chaos steps are looked for (a write held by a short store outage still arrives). */
const FOLLOW_WINDOW_MS = 60_000;

const failoverScope = (f: ObservedFailover) => f.masterName ?? f.shard ?? "";
const failoverSpan = (f: ObservedFailover) => {
  const end = f.endedAt ?? f.okAt ?? null;
  return { start: Date.parse(f.startedAt), end: end === null ? null : Date.parse(end) };
};

export class ObservedRecords implements Handover {
  private source: ObservedSource | null = null;
  /** Local id → the store's, for incidents and failovers the previous holder had already named. */
  private readonly aliases = new Map<string, string>();
  /** Incidents that ended before this (ms) are the previous holder's to have written. */
  private writeFrom = Infinity;
  /** Queued for the store and maybe not in it yet: the lists served from the store show them (lib/store/shared-lists.ts). */
  readonly pending = { events: new PendingRecords<TimelineEvent>(), incidents: new PendingRecords<Incident>(200) };

  constructor(
    readonly deployment: string,
    private readonly writer: RecordWriter,
    private readonly lease: LeaseKeeper,
  ) {}

  attach(source: ObservedSource): void {
    this.source = source;
  }

  private get fence(): LeaseFence {
    return { lease: RECORDS_LEASE, holder: this.lease.replicaId };
  }

  private alias<T extends { id: string }>(x: T): T {
    const id = this.aliases.get(x.id);
    return id ? { ...x, id } : x;
  }

  /** Whether this replica writes the event (a chaos step it did, or anything while it holds the lease): only those are in the store under this id. */
  writes(e: TimelineEvent): boolean {
    return e.kind === "chaos" || this.lease.holds();
  }

  event(e: TimelineEvent): void {
    if (!this.writes(e)) return;
    const fence = e.kind === "chaos" ? undefined : this.fence;
    this.saveEvents([e], fence);
  }

  private saveEvents(events: TimelineEvent[], fence?: LeaseFence): void {
    const d = this.deployment;
    const token = this.pending.events.add(events);
    this.writer.save((s) => s.timeline.append(d, events, fence).then(() => this.pending.events.done(token)));
  }

  private saveIncidents(seq: number, incidents: Incident[], fence: LeaseFence): void {
    const d = this.deployment;
    const token = this.pending.incidents.add(incidents);
    this.writer.save((s) => s.incidents.save(d, seq, incidents, 200, null, fence).then(() => this.pending.incidents.done(token)), `incidents:${d}`);
  }

  incidents(seq: number, list: Incident[]): void {
    if (!this.lease.holds()) return;
    const mine = list.filter((i) => i.state === "open" || Date.parse(i.closedAt ?? i.recoveredAt ?? i.startedAt) >= this.writeFrom);
    this.saveIncidents(
      seq,
      structuredClone(mine).map((i) => this.alias(i)),
      this.fence,
    );
  }

  failover(record: ObservedFailover): void {
    if (!this.lease.holds()) return;
    const r = this.alias(structuredClone(record));
    const fence = this.fence;
    this.writer.save((s) => s.failovers.save(this.deployment, r, fence), `failover:${this.deployment}:${r.id}`);
  }

  /**
   * Reads the chaos steps other replicas wrote (runs they run) into this replica's timeline and
   * incident fold, so a drill run on one replica is a drill on the one that records incidents.
   */
  async follow(store: Store): Promise<void> {
    const source = this.source;
    if (!source?.ingest) return;
    const since = new Date(Date.now() - FOLLOW_WINDOW_MS).toISOString();
    for (const e of await store.timeline.listKindSince(this.deployment, "chaos", since)) source.ingest(e);
  }

  async handover(store: Store, since: number): Promise<() => string | void> {
    const source = this.source;
    // Taken before the keepers started (at start): everything they record from now on is this replica's to write.
    if (!source) return () => void (this.writeFrom = since);
    const d = this.deployment;
    const from = new Date(Number.isFinite(since) ? since - EVENT_MATCH_MS : 0).toISOString();
    const stored = await store.timeline.listSince(d, from);
    const storedIncidents = await store.incidents.load(d);
    const storedFailovers = await store.failovers.list<ObservedFailover>(d);
    return () => {
      const events = eventsToWrite(
        source.ownEvents().filter((e) => e.kind !== "chaos"),
        stored,
        since,
      );
      const local = source.incidents();
      const incidents = incidentsToWrite(local.incidents, storedIncidents.incidents, since);
      const failovers = spansToWrite(source.failovers(), storedFailovers, since, failoverScope, failoverSpan);
      for (const [l, s] of [...incidents.aliases, ...failovers.aliases]) this.aliases.set(l, s);
      this.writeFrom = since;
      const fence = this.fence;
      if (events.length) this.saveEvents(events, fence);
      const seq = Math.max(local.seq, storedIncidents.seq);
      if (incidents.write.length) this.saveIncidents(seq, structuredClone(incidents.write), fence);
      for (const f of failovers.write) this.writer.save((s) => s.failovers.save(d, f, fence), `failover:${d}:${f.id}`);
      if (!events.length && !incidents.write.length && !failovers.write.length) return;
      const titles = events.map((e) => `"${e.title}"`).join(", ");
      return `${d}: ${events.length} events${titles ? ` (${titles.slice(0, 300)})` : ""}, ${incidents.write.length} incidents, ${failovers.write.length} failovers`;
    };
  }
}
