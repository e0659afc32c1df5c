/**
 * What a replica that takes the lease writes for what it saw itself while it did not hold it:
 * the events, incidents and failovers since the previous holder last renewed, less what the
 * previous holder already wrote. Two replicas see one event a few hundred milliseconds apart and
 * name incidents and failovers differently, so "already written" is a match by shape and time,
 * not by id. Pure: the lease keeper reads the store and applies the result.
 */
import type { Incident } from "../incidents/types";
import type { TimelineEvent } from "../timeline/types";

/** Two replicas' sightings of one event are this close (a tick apart, or a loaded event loop). */
export const EVENT_MATCH_MS = 5000;
/** Two incidents or failovers this close (or overlapping) are one. */
export const SPAN_MATCH_MS = 15_000;

/** Kind, subject and title with numbers blanked ("resolved after 12 s" on one replica is "after 13 s" on another). */
export const eventShape = (e: TimelineEvent) => `${e.kind}|${e.subject ?? ""}|${e.title.replace(/\d+(\.\d+)?/g, "#")}`;

/** The events seen at or after `since` (ms) that the store has no sighting of; each stored event answers for one. */
export function eventsToWrite(own: TimelineEvent[], stored: TimelineEvent[], since: number): TimelineEvent[] {
  const sightings = stored.map((e) => ({ id: e.id, shape: eventShape(e), at: Date.parse(e.at), claimed: false }));
  const byId = new Map(sightings.map((s) => [s.id, s]));
  const out: TimelineEvent[] = [];
  for (const e of own) {
    const at = Date.parse(e.at);
    if (at < since) continue;
    const written = byId.get(e.id);
    if (written) {
      written.claimed = true; // this replica wrote it itself before
      continue;
    }
    const s = eventShape(e);
    const match = sightings.find((u) => !u.claimed && u.shape === s && Math.abs(u.at - at) <= EVENT_MATCH_MS);
    if (match) match.claimed = true;
    else out.push(e);
  }
  return out;
}

export interface SpanHandover<T> {
  /** Written as given (ids already the store's where matched). */
  write: T[];
  /** Local id → the store's id for the same incident or failover: later saves use the store's. */
  aliases: [string, string][];
}

interface Span {
  start: number;
  end: number | null;
}

const overlaps = (a: Span, b: Span) => a.start <= (b.end ?? Infinity) + SPAN_MATCH_MS && b.start <= (a.end ?? Infinity) + SPAN_MATCH_MS;

/**
 * Generic over incidents and failovers: `scope` says what must agree (a drill's run, a shard),
 * `span` when it started and ended (null: still going). A matched one is written under the
 * store's id when one side still had it going (the newer view wins); an unmatched one is written
 * when it was going or ended after `since`.
 */
export function spansToWrite<T extends { id: string }>(local: T[], stored: T[], since: number, scope: (x: T) => string, span: (x: T) => Span): SpanHandover<T> {
  const taken = new Set<string>();
  const write: T[] = [];
  const aliases: [string, string][] = [];
  for (const l of local) {
    const ls = span(l);
    const m = stored.find((s) => s.id === l.id && !taken.has(s.id)) ?? stored.find((s) => !taken.has(s.id) && scope(s) === scope(l) && overlaps(span(s), ls));
    if (m) {
      taken.add(m.id);
      if (m.id !== l.id) aliases.push([l.id, m.id]);
      if (ls.end === null || span(m).end === null) write.push({ ...l, id: m.id });
    } else if (ls.end === null || ls.end >= since) write.push(l);
  }
  return { write, aliases };
}

/** Incidents: a drill matches only its own run's. */
export function incidentsToWrite(local: Incident[], stored: Incident[], since: number): SpanHandover<Incident> {
  return spansToWrite(
    local,
    stored,
    since,
    (i) => (i.drill ? `drill:${i.chaosRun}` : "outage"),
    (i) => ({ start: Date.parse(i.startedAt), end: i.state === "open" ? null : Date.parse(i.closedAt ?? i.recoveredAt ?? i.startedAt) }),
  );
}
