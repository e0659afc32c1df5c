import "server-only";
/**
 * The process-wide store: opened once at start (instrumentation), before the collectors, so each
 * record keeper starts from what was saved. A store that cannot open does not stop the console:
 * it watches and serves from memory and says records are not being saved (GET /api/ready).
 */
import crypto from "node:crypto";
import os from "node:os";
import type { ChaosRun } from "../chaos/types";
import type { StoredClusterFailover } from "../cluster/failover-follow";
import type { FailoverRecord } from "../sentinel/types";
import type { Snapshot } from "../snapshot/types";
import type { TimelineEvent } from "../timeline/types";
import { importDataDirFiles, type DeploymentDir } from "./import-files";
import { LeaseKeeper } from "./lease";
import { ObservedRecords } from "./observed-records";
import { PendingRecords } from "./pending";
import { applyRetention } from "./retention";
import type { IncidentRecords, Records } from "./records";
import { openStore, type Store } from "./store";
import { RecordWriter } from "./writer";

interface Preloaded {
  timeline: TimelineEvent[];
  incidents: IncidentRecords["saved"];
  failovers: (FailoverRecord | StoredClusterFailover)[];
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
  /** The records lease: held, this replica writes what is derived from observation. */
  lease: LeaseKeeper;
  /** Per deployment: its observed records, written while the lease is held. */
  observed: Map<string, ObservedRecords>;
  /** Per deployment: run saves queued and maybe not in the store yet. */
  pendingRuns: Map<string, PendingRecords<ChaosRun>>;
}

const KEY = Symbol.for("redis-resilience-console.store");
type WithStore = typeof globalThis & { [KEY]?: StoreState };

/** The state; memory only (no store) until initStore has run, as in scripts and unit tests. */
export function storeState(): StoreState {
  const g = globalThis as WithStore;
  if (!g[KEY]) {
    const replicaId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
    const store = () => (globalThis as WithStore)[KEY]?.store ?? null;
    g[KEY] = {
      store: null,
      writer: new RecordWriter(store),
      openProblem: null,
      preloaded: new Map(),
      replicaId,
      lease: new LeaseKeeper(store, replicaId),
      observed: new Map(),
      pendingRuns: new Map(),
    };
  }
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
    for (const d of opts.deployments) observedFor(d.name);
    state.lease.start();
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
    failovers: await store.failovers.list<FailoverRecord | StoredClusterFailover>(deployment),
    // On a shared store a run not final is another replica's, going on or to be taken over (lib/chaos/run-handover.ts): not this one's to mark aborted.
    runs: (await store.runs.list(deployment)).filter((r) => store.engine !== "postgres" || !["running", "restoring"].includes(r.state)),
  };
}

/** A deployment's observed records (one per deployment, registered with the lease). */
export function observedFor(deployment: string): ObservedRecords {
  const state = storeState();
  let o = state.observed.get(deployment);
  if (!o) {
    o = new ObservedRecords(deployment, state.writer, state.lease);
    state.observed.set(deployment, o);
    state.lease.register(o);
  }
  return o;
}

/**
 * A deployment's record keepers' view of the store: what was saved, and saves that queue. What
 * is derived from observation is written only while this replica holds the lease; `observed`
 * wants the keepers' own view for the handover when it takes the lease.
 */
export function recordsFor(deployment: string) {
  const { writer, preloaded } = storeState();
  const saved = preloaded.get(deployment);
  const observed = observedFor(deployment);
  const timeline: Records<TimelineEvent> = {
    initial: saved?.timeline ?? [],
    save: (e) => observed.event(e),
    // Served from the store, an event another replica writes under its own id is not this one's to push.
    listed: (e) => !sharedStore() || observed.writes(e),
  };
  const failovers: Records<FailoverRecord | StoredClusterFailover> = {
    initial: saved?.failovers ?? [],
    save: (r) => observed.failover(r),
  };
  const incidents: IncidentRecords = {
    saved: saved?.incidents ?? null,
    save: (seq, list) => observed.incidents(seq, list),
  };
  const runs: Records<ChaosRun> = {
    initial: saved?.runs ?? [],
    save: (run) => {
      const copy = structuredClone(run);
      const token = pendingRunsFor(deployment).add([copy]);
      writer.save((s) => s.runs.save(deployment, copy, storeState().replicaId).then(() => pendingRunsFor(deployment).done(token)), `run:${run.id}`);
    },
  };
  return { timeline, failovers, incidents, runs, observed };
}

/** A deployment's run saves not yet written. */
export function pendingRunsFor(deployment: string): PendingRecords<ChaosRun> {
  const { pendingRuns } = storeState();
  let p = pendingRuns.get(deployment);
  if (!p) pendingRuns.set(deployment, (p = new PendingRecords<ChaosRun>(200)));
  return p;
}

/**
 * The store the lists (incidents, timeline, runs, scorecard) are served from: PostgreSQL shared
 * by the replicas, while it takes records. Null with PGlite (one process's: the console is the
 * only replica and its memory holds all it saved) and while the store is down (memory serves,
 * and every page says records are not being saved).
 */
export function sharedStore(): Store | null {
  const { store, writer, openProblem } = storeState();
  return store && store.engine === "postgres" && !writer.status().problem && !openProblem ? store : null;
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
  const { store, writer, lease } = storeState();
  if (!store) return;
  // The held saves first (fenced by the lease), then the lease goes: the next holder need not wait out its TTL.
  await writer.drain(3000);
  await lease.release();
  await store.close().catch(() => {});
};

/** Whether records are being saved and who holds the lease, for the snapshot (every page's banner, the Config page) and /api/ready. */
export function recordsStatus(): NonNullable<Snapshot["records"]> {
  const { store, writer, openProblem, lease, replicaId } = storeState();
  const w = writer.status();
  const problem = w.problem ?? openProblem ?? (store ? null : "the store is not open");
  const l = lease.view();
  return {
    saving: problem === null,
    problem,
    since: w.since,
    dropped: w.dropped,
    shared: sharedStore() !== null,
    ...(store ? { lease: { replica: replicaId, holder: l.holder, mine: l.mine, heldSince: l.heldSince, problem: l.problem } } : {}),
  };
}

const PING_EVERY_MS = 2000;
/** A store that stops answering is noticed even when nothing is being recorded (a ping queued as a save). */
function watchStore(): void {
  const { writer } = storeState();
  setInterval(() => writer.save((s) => s.ping(), "ping"), PING_EVERY_MS).unref();
}

const RETENTION_EVERY_MS = 3600_000;
/**
 * Old records go hourly, on the lease holder only (one replica deletes, not every one), through
 * the writer (in order with the saves, held while the store is down). The first pass comes a
 * renewal after start, once the lease has had its chance.
 */
function keepRetention(days: number): void {
  const { writer, lease } = storeState();
  const run = () => {
    if (lease.holds()) writer.save((s) => applyRetention(s, days).then(() => {}), "retention");
  };
  setTimeout(run, 5000).unref();
  setInterval(run, RETENTION_EVERY_MS).unref();
}
