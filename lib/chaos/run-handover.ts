import "server-only";
/**
 * A sandbox run shared by the replicas through the store (issue 26, part 4): the replica running
 * it says it is alive every second and stops the run when any replica asked for an abort; a run
 * whose replica stopped saying so (kill -9) is claimed by another one (a conditional UPDATE: one
 * claimant wins), which restores the sandbox and marks the run aborted. The faults' TTLs stay the
 * second line of defence.
 */
import type { TimelineStore } from "../collector/timeline-store";
import { openedStore, storeState } from "../store/instance";
import type { RunStore } from "./run-store";
import type { ChaosRun } from "./types";

const HEARTBEAT_MS = 1000;
/** Silent this long, the replica running a run counts as gone: with a look every 2 s, a run is taken over within 15 s of its replica's death. */
const STALE_MS = 8000;
const TAKEOVER_EVERY_MS = 2000;

/** Heartbeats for `runId` and listens for an abort asked through the store; returns the stop. */
export function watchRun(runId: string, onAbortAsked: () => void): () => void {
  let busy = false;
  const timer = setInterval(() => {
    const store = openedStore();
    if (!store || busy) return;
    busy = true;
    void (async () => {
      await store.runs.heartbeat(runId, storeState().replicaId);
      if (await store.runs.abortAsked(runId)) onAbortAsked();
    })()
      .catch(() => {
        /* the store is down: the run goes on; the writer says records are not saved */
      })
      .finally(() => (busy = false));
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** A run this replica does not hold: asks its replica to abort it through the store. */
export async function askAbortThroughStore(id: string): Promise<"asked" | "final" | "none"> {
  const store = openedStore();
  const run = store ? await store.runs.get(id) : null;
  if (!store || !run) return "none";
  if (run.state !== "running" && run.state !== "restoring") return "final";
  await store.runs.askAbort(id);
  return "asked";
}

/** A run from the store (another replica's), or null. */
export async function storedRun(id: string): Promise<ChaosRun | null> {
  return (await openedStore()?.runs.get(id)) ?? null;
}

/** Every 2 s: claims the deployment's runs whose replica went silent and hands each to `takeOver`. */
export function startTakeover(deployment: string, takeOver: (run: ChaosRun) => Promise<void>): void {
  let busy = false;
  const timer = setInterval(() => {
    const store = openedStore();
    if (!store || busy) return;
    busy = true;
    void store.runs
      .claimStale(deployment, storeState().replicaId, STALE_MS)
      .then(async (runs) => {
        for (const run of runs) await takeOver(run);
      })
      .catch(() => {
        /* the store is down: the next look tries again */
      })
      .finally(() => (busy = false));
  }, TAKEOVER_EVERY_MS);
  timer.unref();
}

/** Another replica's run, stopped with it: the sandbox restored, the run aborted, the timeline told. */
export async function takeOverRun(run: ChaosRun, target: { restore(): Promise<string> }, runs: RunStore, timeline: TimelineStore): Promise<void> {
  const why = "the replica running it stopped";
  timeline.append({ kind: "chaos", severity: "warn", subject: run.id, title: `Chaos run ${run.scenario}: ${why}; this replica restores the stack` });
  for (const s of run.steps) if (s.state === "running") Object.assign(s, { state: "failed", detail: why, endedAt: new Date().toISOString() });
  run.state = "restoring";
  run.restoringAt = new Date().toISOString();
  runs.save(run);
  const detail = await target.restore().catch((err: Error) => `restore failed: ${err.message}`);
  for (const s of run.steps) if (s.state === "pending") Object.assign(s, { state: "skipped", detail: why });
  run.state = "aborted";
  run.error = why;
  run.endedAt = new Date().toISOString();
  runs.save(run);
  timeline.append({ kind: "chaos", severity: "warn", subject: run.id, title: `Chaos run ${run.scenario} aborted: ${why}`, detail });
}
