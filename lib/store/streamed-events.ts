/**
 * What one deployment's stream has pushed, so the events followed from the store are pushed once:
 * never an id pushed before (the holder's own events go out at once, then come back from the
 * store), nor another replica's sighting of a change this replica pushed its own sighting of
 * (while the store was down every replica pushes its own; the new holder then writes its
 * versions under its ids). Sightings match as at a lease handover: same shape within 5 s, each
 * of this replica's answering for one. Bounded. Pure.
 */
import type { TimelineEvent } from "../timeline/types";
import { EVENT_MATCH_MS, eventShape } from "./handover";

/** Ids remembered: more than a store outage's worth of events (the writer holds 20 000 saves). */
const MAX_IDS = 25_000;
/** Own sightings remembered for matching: an outage's changes, a few per second at most. */
const MAX_SIGHTINGS = 2000;

interface Sighting {
  id: number;
  shape: string;
  at: number;
  claimed: boolean;
}

export class StreamedEvents {
  private readonly ids = new Set<number>();
  private readonly sightings: Sighting[] = [];

  constructor(
    private readonly maxIds = MAX_IDS,
    private readonly maxSightings = MAX_SIGHTINGS,
  ) {}

  has(id: number): boolean {
    return this.ids.has(id);
  }

  /** The stream pushed `e`; `own` when this replica recorded it (not followed from the store). */
  pushed(e: TimelineEvent, own: boolean): void {
    this.ids.add(e.id);
    if (this.ids.size > this.maxIds) this.ids.delete(this.ids.values().next().value!);
    if (!own) return;
    this.sightings.push({ id: e.id, shape: eventShape(e), at: Date.parse(e.at), claimed: false });
    if (this.sightings.length > this.maxSightings) this.sightings.shift();
  }

  /**
   * Whether an event read from the store is news to this stream; a stored event that matches
   * one of this replica's own sightings claims it (it is that change, already shown).
   */
  isNew(e: TimelineEvent): boolean {
    if (this.ids.has(e.id)) {
      // Back from the store under the id it went out with: that sighting is answered for.
      const own = this.sightings.find((s) => s.id === e.id);
      if (own) own.claimed = true;
      return false;
    }
    const shape = eventShape(e);
    const at = Date.parse(e.at);
    const match = this.sightings.find((s) => !s.claimed && s.shape === shape && Math.abs(s.at - at) <= EVENT_MATCH_MS);
    if (!match) return true;
    match.claimed = true;
    this.ids.add(e.id);
    return false;
  }
}
