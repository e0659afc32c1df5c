import "server-only";
/**
 * An external dev stack's fault journal in the store (issue 26): committed before each fault in
 * the database every replica reads, so when the replica running a run dies another one undoes
 * its faults. Used when the replicas share PostgreSQL; a console alone on its data dir (PGlite)
 * keeps the fsynced file, which a person can also read and restore by hand.
 */
import { fileJournal, type JournalBackend } from "../chaos/journal";
import { openedStore, storeState } from "./instance";
import type { Store } from "./store";

/** Silent this long, the replica running the journal's run counts as gone (as a sandbox run's, lib/chaos/run-handover.ts). */
const STALE_MS = 8000;
/** A journal whose run is not saved yet belongs to a console in its pre-flight (15 s at most): gone after this. */
const NO_RUN_MS = 30_000;

function store(): Store {
  const s = openedStore();
  if (!s) throw new Error("the store is not open");
  return s;
}

/** The deployment's journal in the store, owned by this replica while it writes it. */
export function storeJournal(deployment: string): JournalBackend {
  const me = storeState().replicaId;
  return {
    where: `the store (fault_journals, deployment "${deployment}")`,
    read: async () => (await store().journals.get(deployment))?.journal ?? null,
    write: (j) => store().journals.put(j, me),
    remove: (j) => store().journals.finish(deployment, j.runId),
    orphaned: (j) => store().journals.orphaned(deployment, j.runId, me, STALE_MS, NO_RUN_MS),
  };
}

/** Where a deployment's journal is committed: the store when the replicas share it (PostgreSQL), else the file in its dir. */
export function journalBackendFor(deployment: string, dir: string): JournalBackend {
  return openedStore()?.engine === "postgres" ? storeJournal(deployment) : fileJournal(dir);
}
