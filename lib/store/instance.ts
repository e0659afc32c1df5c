import "server-only";
/**
 * The process-wide store: opened once at start (instrumentation), before the collectors, so each
 * record keeper starts from what was saved. A store that cannot open does not stop the console:
 * it watches and serves from memory and says records are not being saved (GET /api/ready).
 */
import crypto from "node:crypto";
import os from "node:os";
import type { ChaosRun } from "../chaos/types";
import type { FailoverRecord } from "../sentinel/types";
import type { TimelineEvent } from "../timeline/types";
import { importDataDirFiles, type DeploymentDir } from "./import-files";
import { applyRetention } from "./retention";
import type { IncidentRecords, Records } from "./records";
import { openStore, type Store } from "./store";
import { RecordWriter } from "./writer";

interface Preloaded {
  timeline: TimelineEvent[];
  incidents: IncidentRecords["saved"];
  failovers: FailoverRecord[];
  runs: ChaosRun[];
}

interface StoreState {
  store: Store | null;
  writer: RecordWriter;
  /** Why the store could not open, or null. */
  openProblem: string | null;
  preloaded: Map<string, Preloaded>;
  /** This process among the replicas sharing the store. */
  replicaId: string;
}

const KEY = Symbol.for("redis-resilience-console.store");
type WithStore = typeof globalThis & { [KEY]?: StoreState };

/** The state; memory only (no store) until initStore has run, as in scripts and unit tests. */
export function storeState(): StoreState {
  const g = globalThis as WithStore;
  g[KEY] ??= {
    store: null,
    writer: new RecordWriter(() => (globalThis as WithStore)[KEY]?.store ?? null),
    openProblem: null,
    preloaded: new Map(),
    replicaId: `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`,
  };
  return g[KEY];
}

/**
 * Opens the store (PostgreSQL at `databaseUrl`, else PGlite in the data dir), imports the files a
 * console of before the store left in the data dir, and reads each deployment's records.
 */
export async function initStore(opts: { dataDir: string; databaseUrl: string | null; deployments: DeploymentDir[]; retentionDays: number }): Promise<void> {
  const state = storeState();
  if (state.store) return;
  try {
    const store = await openStore({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
    await importDataDirFiles(store, opts.deployments);
    for (const d of opts.deployments) state.preloaded.set(d.name, await preload(store, d.name));
    state.store = store;
    watchStore();
    keepRetention(opts.retentionDays);
  } catch (err) {
    state.openProblem = `the store (${opts.databaseUrl ? "PostgreSQL" : "PGlite"}) could not open: ${(err as Error).message}`;
    state.writer.fail(state.openProblem);
    console.error(`[store] ${state.openProblem}; watching and serving from memory`);
  }
}

async function preload(store: Store, deployment: string): Promise<Preloaded> {
  return {
    timeline: await store.timeline.list(deployment),
    incidents: await store.incidents.load(deployment),
    failovers: await store.failovers.list<FailoverRecord>(deployment),
    runs: await store.runs.list(deployment),
  };
}

/** A deployment's record keepers' view of the store: what was saved, and saves that queue. */
export function recordsFor(deployment: string) {
  const { writer, preloaded } = storeState();
  const saved = preloaded.get(deployment);
  const timeline: Records<TimelineEvent> = {
    initial: saved?.timeline ?? [],
    save: (e) => writer.save((s) => s.timeline.append(deployment, [e])),
  };
  const failovers: Records<FailoverRecord> = {
    initial: saved?.failovers ?? [],
    save: (r) => writer.save((s) => s.failovers.save(deployment, r)),
  };
  const incidents: IncidentRecords = {
    saved: saved?.incidents ?? null,
    save: (seq, list) => {
      const copy = structuredClone(list);
      writer.save((s) => s.incidents.save(deployment, seq, copy), `incidents:${deployment}`);
    },
  };
  const runs: Records<ChaosRun> = {
    initial: saved?.runs ?? [],
    save: (run) => {
      const copy = structuredClone(run);
      writer.save((s) => s.runs.save(deployment, copy, storeState().replicaId), `run:${run.id}`);
    },
  };
  return { timeline, failovers, incidents, runs };
}

/** The open store, or null (not opened, or could not open). */
export function openedStore(): Store | null {
  return storeState().store;
}

/**
 * Writes now when the store answers (another replica may read it the next moment: a session, a
 * login code); otherwise it is queued like any record and written when the store is back.
 */
export async function saveNow(run: (store: Store) => Promise<void>): Promise<void> {
  const { store, writer } = storeState();
  if (store && !writer.status().problem) {
    try {
      return await run(store);
    } catch {
      /* queued below */
    }
  }
  writer.save(run);
}

/** The store's answer, or `undefined` when it cannot give one now (the caller falls back to memory). */
export async function askStore<T>(ask: (store: Store) => Promise<T>): Promise<T | undefined> {
  const store = openedStore();
  if (!store) return undefined;
  try {
    return await ask(store);
  } catch {
    return undefined;
  }
}

const SHUTDOWN = Symbol.for("rrc.shutdown");
/** Called by scripts/serve.mjs on SIGTERM: what is queued is written (bounded), then the store closes. */
(globalThis as typeof globalThis & { [SHUTDOWN]?: () => Promise<void> })[SHUTDOWN] ??= async () => {
  const { store, writer } = storeState();
  if (!store) return;
  await writer.drain(3000);
  await store.close().catch(() => {});
};

/** Whether records are being saved, for the snapshot (every page's banner) and /api/ready. */
export function recordsStatus(): { saving: boolean; problem: string | null; since: string | null; dropped: number } {
  const { store, writer, openProblem } = storeState();
  const w = writer.status();
  const problem = w.problem ?? openProblem ?? (store ? null : "the store is not open");
  return { saving: problem === null, problem, since: w.since, dropped: w.dropped };
}

const PING_EVERY_MS = 2000;
/** A store that stops answering is noticed even when nothing is being recorded (a ping queued as a save). */
function watchStore(): void {
  const { writer } = storeState();
  setInterval(() => writer.save((s) => s.ping(), "ping"), PING_EVERY_MS).unref();
}

const RETENTION_EVERY_MS = 3600_000;
/** Old records go at start and hourly, through the writer (in order with the saves, held while the store is down). */
function keepRetention(days: number): void {
  const { writer } = storeState();
  const run = () => writer.save((s) => applyRetention(s, days).then(() => {}), "retention");
  run();
  setInterval(run, RETENTION_EVERY_MS).unref();
}
