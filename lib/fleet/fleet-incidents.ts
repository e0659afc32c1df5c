import "server-only";
/**
 * Each deployment's open incident as the fleet shows it, the same on every replica: only the
 * lease holder writes incidents, so a replica that does not hold it reads them from the store
 * when the store is shared (PostgreSQL), like the incident list (lib/store/shared-lists.ts). One
 * query for every deployment (a fleet can have a hundred), at most once a second whatever the
 * number of viewers and pushes (REFRESH_MS), with this replica's incident saves still queued
 * laid over it (it reads its own writes). Memory (each collector's own fold) answers with PGlite
 * (the only replica), while the store takes no records, and when the last read is older than
 * STALE_MS (the store stopped answering before the writer said so).
 */
import type { Incident } from "../incidents/types";
import { observedFor, sharedStore } from "../store/instance";
import { mergePending } from "../store/pending";
import type { ListSource } from "../store/shared-lists";

const REFRESH_MS = 1000;
const STALE_MS = 5000;

interface OpenRead {
  at: number;
  byDeployment: Map<string, Incident[]>;
  json: string;
}

export class FleetIncidents {
  private last: OpenRead | null = null;
  private reading: Promise<boolean> | null = null;

  /**
   * Reads the store again unless the last read is under REFRESH_MS old; true when what it says
   * changed. Never throws; one read at a time, bounded by the engine's statement timeout.
   */
  refresh(): Promise<boolean> {
    const store = sharedStore();
    if (!store) return Promise.resolve(false);
    if (this.reading) return this.reading;
    if (this.last && Date.now() - this.last.at < REFRESH_MS) return Promise.resolve(false);
    this.reading = store.incidents
      .openAll()
      .then((rows) => {
        const byDeployment = new Map<string, Incident[]>();
        for (const r of rows) byDeployment.set(r.deployment, [...(byDeployment.get(r.deployment) ?? []), r.incident]);
        const json = JSON.stringify(rows);
        const changed = json !== this.last?.json;
        this.last = { at: Date.now(), byDeployment, json };
        return changed;
      })
      .catch(() => false)
      .finally(() => (this.reading = null));
    return this.reading;
  }

  /** Where the fleet's incidents come from now. */
  source(): ListSource {
    return sharedStore() && this.last && Date.now() - this.last.at < STALE_MS ? "store" : "memory";
  }

  /** The deployment's open incident: the store's (the newest, if several) when `source()` is "store", else `memory`. */
  open(deployment: string, memory: Incident | null): Incident | null {
    if (this.source() === "memory") return memory;
    const stored = this.last?.byDeployment.get(deployment) ?? [];
    const merged = mergePending(stored, observedFor(deployment).pending.incidents.list());
    const open = merged.filter((i) => i.state === "open").sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return open[0] ?? null;
  }
}
