import "server-only";
/**
 * The incidents of one deployment: the fold fed live (every timeline event, one state per tick),
 * saved to the store like the timeline so a restart loses nothing, bounded. Saved whole (incidents
 * are few), at most every couple of seconds while one is open and at once when one opens or closes.
 */
import type { IncidentRecords } from "../store/records";
import type { Snapshot } from "../snapshot/types";
import type { TimelineEvent } from "../timeline/types";
import { newestFirst } from "./filter";
import { emptyFold, endUnobserved, openIncident, step, type FoldState } from "./fold";
import { stateSample } from "./sample";
import type { Incident, KeyMoment } from "./types";

const MAX_INCIDENTS = 200;
const WRITE_EVERY_MS = 2000;
/** A console back within this long (a restart, a redeploy) continues the open incident; after longer, its end was not seen. */
const UNOBSERVED_GAP_MS = 5 * 60_000;

export type IncidentListener = (kind: "opened" | "closed" | "failover", incident: Incident, moment?: KeyMoment) => void;

export class IncidentStore {
  private state: FoldState = emptyFold();
  private lastWrite = 0;
  private listeners = new Set<IncidentListener>();

  constructor(
    private readonly records: IncidentRecords | null,
    private readonly settleMs: () => number,
  ) {
    const saved = records?.saved;
    if (!saved) return;
    // The samples of an incident open at the restart are gone: it continues from the next one.
    this.state.incidents = saved.incidents.slice(-MAX_INCIDENTS);
    this.state.seq = saved.seq;
    this.state.openId = this.state.incidents.findLast((i) => i.state === "open")?.id ?? null;
    // The fold is saved at least every WRITE_EVERY_MS while one is open: savedAt is the last look.
    if (saved.savedAt && endUnobserved(this.state, saved.savedAt, new Date().toISOString(), Math.max(UNOBSERVED_GAP_MS, settleMs()))) this.persist();
  }

  event(e: TimelineEvent): void {
    this.apply(() => step(this.state, { type: "event", event: e }, this.opts()));
  }

  observe(s: Snapshot): void {
    if (s.seq === 0) return;
    this.apply(() => step(this.state, { type: "state", state: stateSample(s) }, this.opts()));
  }

  /** The fold's counter and its incidents oldest first, as the store keeps them. */
  folded(): { seq: number; incidents: Incident[] } {
    return { seq: this.state.seq, incidents: [...this.state.incidents] };
  }

  /** Newest first, the open one before every closed one. */
  list(): Incident[] {
    return newestFirst(this.state.incidents);
  }

  /** How long everything must stay ok before the open incident closes. */
  settlePeriodMs(): number {
    return this.settleMs();
  }

  get(id: string): Incident | undefined {
    return this.state.incidents.find((i) => i.id === id);
  }

  open(): Incident | null {
    return openIncident(this.state);
  }

  onChange(fn: IncidentListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private opts() {
    return { settleMs: this.settleMs(), max: MAX_INCIDENTS };
  }

  private apply(fn: () => void): void {
    const before = this.state.openId;
    const beforeLen = this.state.seq;
    const moments = openIncident(this.state)?.moments.length ?? 0;
    fn();
    const after = this.state.openId;
    const closed = before && before !== after ? this.get(before) : undefined;
    const opened = after && (after !== before || this.state.seq !== beforeLen) ? this.get(after) : undefined;
    if (closed) this.notify("closed", closed);
    if (opened && opened.id !== before) this.notify("opened", opened);
    const now = openIncident(this.state);
    if (now && (now.id === before ? now.moments.length > moments : true)) {
      for (const m of now.moments.slice(now.id === before ? moments : 0)) if (m.title.includes("+switch-master")) this.notify("failover", now, m);
    }
    if (closed || opened || (after && Date.now() - this.lastWrite >= WRITE_EVERY_MS)) this.persist();
  }

  private notify(kind: "opened" | "closed" | "failover", inc: Incident, moment?: KeyMoment): void {
    for (const l of this.listeners) {
      try {
        l(kind, inc, moment);
      } catch {
        /* a failing listener (annotations) must not stop the fold */
      }
    }
  }

  private persist(): void {
    this.lastWrite = Date.now();
    this.records?.save(this.state.seq, this.state.incidents);
  }
}
