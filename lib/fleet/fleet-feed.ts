import "server-only";
/**
 * The fleet: every deployment's row, pushed to every fleet viewer through one stream. Collectors
 * push a snapshot each tick each; with a hundred deployments that is a hundred pushes a second,
 * so they only mark the fleet dirty, and it is rebuilt and serialized once per flush for all
 * viewers: at once when nothing went out for FLUSH_GAP_MS, else at the end of that gap.
 */
import { getDeployments } from "../collector/instance";
import type { Deployments } from "../deployments/registry";
import { withDeadline } from "../store/sql";
import { FleetIncidents } from "./fleet-incidents";
import { fleetRow, sortWorstFirst, type FleetIncident, type FleetPayload } from "./fleet-row";

/** At most this often a change goes out (a failover is news within it, 100 deployments cost ~4 builds a second). */
const FLUSH_GAP_MS = 250;
/** Without a change, the fleet still goes out this often, so viewers see it is live. */
const KEEPALIVE_MS = 1000;
/** A request or page waits this long on the store for the open incidents, then answers with what it has. */
const READ_DEADLINE_MS = 2000;

type FleetListener = (json: string) => void;

export class FleetFeed {
  private listeners = new Set<FleetListener>();
  private unsubscribers: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private lastSentAt = 0;
  private lastRows = "";
  private readonly incidents = new FleetIncidents();

  constructor(private readonly deployments: Deployments) {}

  /** Every deployment's row, worst first, as of now (its open incident as last read from the store, when shared). */
  payload(): FleetPayload {
    const rows = this.deployments.all.map((d) => {
      const open = this.incidents.open(d.name, d.collector.incidents.open());
      const incident: FleetIncident | null = open
        ? { id: open.id, title: open.title, severity: open.severity, startedAt: open.startedAt, drill: open.drill }
        : null;
      return fleetRow(d.name, d.collector.snapshot(), incident);
    });
    return { at: new Date().toISOString(), rows: sortWorstFirst(rows), source: this.incidents.source() };
  }

  /** The same once the open incidents were read again (if due), for a request or a page: waits READ_DEADLINE_MS at most. */
  async freshPayload(): Promise<FleetPayload> {
    await withDeadline(this.incidents.refresh(), READ_DEADLINE_MS, "the store").catch(() => {});
    return this.payload();
  }

  /** Pushes the fleet JSON to `fn` now and on every flush; collectors are listened to only while someone watches. */
  subscribe(fn: FleetListener): () => void {
    fn(JSON.stringify(this.payload()));
    this.listeners.add(fn);
    if (this.listeners.size === 1) this.listen();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.quiet();
    };
  }

  private listen(): void {
    for (const d of this.deployments.all) this.unsubscribers.push(d.collector.subscribe((event) => event === "snapshot" && this.changed()));
    this.keepalive = setInterval(() => {
      // Another replica's incident is news too: read the store (at most once a second), push when it changed.
      void this.incidents.refresh().then((changed) => changed && this.changed());
      if (Date.now() - this.lastSentAt >= KEEPALIVE_MS) this.flush(true);
    }, KEEPALIVE_MS / 2);
  }

  private quiet(): void {
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    if (this.timer) clearTimeout(this.timer);
    if (this.keepalive) clearInterval(this.keepalive);
    this.timer = this.keepalive = null;
  }

  private changed(): void {
    if (this.timer) return;
    const wait = FLUSH_GAP_MS - (Date.now() - this.lastSentAt);
    if (wait <= 0) this.flush(false);
    else this.timer = setTimeout(() => this.flush(false), wait);
  }

  /** Builds the fleet once for every viewer; an unchanged fleet goes out only as the keepalive. */
  private flush(keepalive: boolean): void {
    this.timer = null;
    const payload = this.payload();
    const rows = JSON.stringify(payload.rows);
    if (!keepalive && rows === this.lastRows) return;
    this.lastRows = rows;
    this.lastSentAt = Date.now();
    const json = JSON.stringify(payload);
    for (const l of this.listeners) {
      try {
        l(json);
      } catch {
        /* a broken viewer must not stop the others */
      }
    }
  }
}

const KEY = Symbol.for("redis-resilience-console.fleet");
type WithFleet = typeof globalThis & { [KEY]?: FleetFeed };

/** The one fleet feed of this server process. */
export function getFleetFeed(): FleetFeed {
  const g = globalThis as WithFleet;
  return (g[KEY] ??= new FleetFeed(getDeployments()));
}
