/**
 * What a record keeper (timeline, incidents, failovers, runs) gets from the store: what was
 * saved before this process started, and a save that returns at once (the store's writer
 * queues it). Memory stays the serving copy; the store is what survives and is shared.
 */
import type { Incident } from "../incidents/types";

export interface Records<T> {
  /** Saved before this process started, in the keeper's own order. */
  initial: T[];
  save(item: T): void;
  /**
   * Whether lists served from the store will show this item under its id (default yes): a
   * replica that does not hold the records lease keeps its own sightings, but the store has the
   * holder's, so it does not push its own over the stream.
   */
  listed?(item: T): boolean;
}

export interface IncidentRecords {
  saved: { seq: number; incidents: Incident[]; savedAt: string | null } | null;
  /** The fold's counter and the incidents that changed (or all of them). */
  save(seq: number, incidents: Incident[]): void;
}

/** Records kept in memory only (scripts, tests, a store that could not open). */
export function memoryRecords<T>(initial: T[] = []): Records<T> & { saved: T[] } {
  const saved: T[] = [];
  return { initial, saved, save: (item) => void saved.push(item) };
}
