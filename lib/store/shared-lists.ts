import "server-only";
/**
 * The lists every replica must agree on (incidents, the timeline, the run history and the
 * scorecard read from it) served from the store when it is shared (PostgreSQL), with this
 * replica's saves still queued laid over it, so a replica reads its own writes. Memory answers
 * when the store is not shared (PGlite: the only replica) or not taking records (then every page
 * says so, and `source` is "memory"). The snapshot never comes from here: it stays in memory.
 */
import type { ChaosRun } from "../chaos/types";
import type { RunStore } from "../chaos/run-store";
import type { TimelineStore } from "../collector/timeline-store";
import { newestFirst } from "../incidents/filter";
import type { IncidentStore } from "../incidents/store";
import type { Incident } from "../incidents/types";
import type { TimelineEvent } from "../timeline/types";
import { observedFor, pendingRunsFor, sharedStore } from "./instance";
import { mergePending } from "./pending";
import { withDeadline } from "./sql";
import type { Store } from "./store";

/** Where a list came from: the store all replicas share, or this replica's memory. */
export type ListSource = "store" | "memory";

const MAX_EVENTS = 5000;
const MAX_RUNS = 200;

/** A page or API answer waits this long on the store at most, then memory answers. */
const READ_DEADLINE_MS = 2000;

/** The store's answer, or null when it fails or is slow (memory answers then; the writer notices the outage on its own). */
async function fromStore<T>(read: (store: Store) => Promise<T>): Promise<T | null> {
  const store = sharedStore();
  if (!store) return null;
  try {
    return await withDeadline(read(store), READ_DEADLINE_MS, "the store");
  } catch {
    return null;
  }
}

/** Timeline events after `sinceId`, newest last. */
export async function sharedTimeline(deployment: string, memory: TimelineStore, sinceId = 0): Promise<{ events: TimelineEvent[]; source: ListSource }> {
  const stored = await fromStore((s) => s.timeline.list(deployment, sinceId, MAX_EVENTS));
  if (!stored) return { events: memory.list(sinceId), source: "memory" };
  const pending = observedFor(deployment)
    .pending.events.list()
    .filter((e) => e.id > sinceId);
  const events = mergePending(stored, pending).sort((a, b) => a.id - b.id);
  return { events: events.slice(-MAX_EVENTS), source: "store" };
}

/** Incidents, the open one first then newest first, and the open one's id. */
export async function sharedIncidents(deployment: string, memory: IncidentStore): Promise<{ open: string | null; incidents: Incident[]; source: ListSource }> {
  const stored = await fromStore((s) => s.incidents.load(deployment));
  if (!stored) return { open: memory.open()?.id ?? null, incidents: memory.list(), source: "memory" };
  const merged = mergePending(stored.incidents, observedFor(deployment).pending.incidents.list());
  const incidents = newestFirst(merged.sort((a, b) => a.startedAt.localeCompare(b.startedAt)));
  return { open: incidents.find((i) => i.state === "open")?.id ?? null, incidents, source: "store" };
}

/** One incident, from the store when shared. */
export async function sharedIncident(deployment: string, id: string, memory: IncidentStore): Promise<Incident | undefined> {
  const pending = observedFor(deployment)
    .pending.incidents.list()
    .find((i) => i.id === id);
  if (pending && sharedStore()) return pending;
  const stored = await fromStore(async (s) => ({ incident: await s.incidents.get(deployment, id) }));
  return stored ? (stored.incident ?? undefined) : memory.get(id);
}

/** The deployment's runs, newest first: every replica's when the store is shared. */
export async function sharedRuns(deployment: string, memory: RunStore, limit = MAX_RUNS): Promise<{ runs: ChaosRun[]; source: ListSource }> {
  const stored = await fromStore((s) => s.runs.list(deployment, limit));
  if (!stored) return { runs: memory.list().slice(0, limit), source: "memory" };
  const runs = mergePending(stored, pendingRunsFor(deployment).list()).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return { runs: runs.slice(0, limit), source: "store" };
}

/** A run of the deployment still going on any replica (this one's first), or null. */
export async function sharedActiveRun(deployment: string, local: ChaosRun | null): Promise<ChaosRun | null> {
  if (local) return local;
  const unfinished = await fromStore((s) => s.runs.unfinished(deployment));
  return unfinished?.at(-1)?.run ?? null;
}
