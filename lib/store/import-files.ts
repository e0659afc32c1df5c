import "server-only";
/**
 * Nothing lost on upgrade: the files a console of before the store kept in its data dir
 * (timeline.jsonl, incidents.json, failovers.jsonl, chaos-runs/, an external target's
 * chaos-runs-external/) are written to the store once, then renamed `*.imported` and kept. A crash
 * between the two imports again, harmlessly: every save is an upsert. An unfinished fault journal
 * (chaos-journal.json) moves to the store when the replicas share it (PostgreSQL), where any of
 * them undoes it; with PGlite it stays the fsynced file. The demo's operator-token stays a file.
 */
import fs from "node:fs";
import path from "node:path";
import { JOURNAL_FILE, readUnfinishedJournal } from "../chaos/journal";
import type { ChaosRun } from "../chaos/types";
import { normalizeCheck } from "../chaos/verdict";
import type { Incident } from "../incidents/types";
import type { FailoverRecord } from "../sentinel/types";
import type { TimelineEvent } from "../timeline/types";
import { toJson } from "./json";
import type { Store } from "./store";

export interface DeploymentDir {
  name: string;
  /** Where its files were kept (the data dir itself for the first deployment). */
  dir: string;
  /** The data dir's chaos-runs/ belongs to the deployment chaos acts on. */
  chaos: boolean;
}

export interface ImportedCounts {
  timeline: number;
  incidents: number;
  failovers: number;
  runs: number;
}

/** Parses JSON lines, skipping a torn last line (a crash mid-append). */
function jsonLines<T>(file: string): T[] {
  const out: T[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      /* torn line */
    }
  }
  return out;
}

/** Imports every deployment's old files; what was imported, per deployment. */
export async function importDataDirFiles(store: Store, deployments: DeploymentDir[]): Promise<Record<string, ImportedCounts>> {
  const result: Record<string, ImportedCounts> = {};
  for (const d of deployments) {
    const counts: ImportedCounts = { timeline: 0, incidents: 0, failovers: 0, runs: 0 };
    await importFile(store, path.join(d.dir, "timeline.jsonl"), async (file) => {
      const events = jsonLines<TimelineEvent>(file);
      for (let i = 0; i < events.length; i += 500) await store.timeline.append(d.name, events.slice(i, i + 500));
      counts.timeline = events.length;
    });
    await importFile(store, path.join(d.dir, "incidents.json"), async (file) => {
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { seq?: number; incidents?: Incident[] };
      const incidents = saved.incidents ?? [];
      // The file's mtime was the fold's last look: an incident left open ends unobserved as before.
      await store.incidents.save(d.name, saved.seq ?? incidents.length, incidents, 200, fs.statSync(file).mtime.toISOString());
      counts.incidents = incidents.length;
    });
    await importFile(store, path.join(d.dir, "failovers.jsonl"), async (file) => {
      const byId = new Map<string, FailoverRecord>();
      for (const r of jsonLines<FailoverRecord>(file)) byId.set(r.id, r);
      for (const r of byId.values()) await store.failovers.save(d.name, r);
      counts.failovers = byId.size;
    });
    // The sandbox's runs were in chaos-runs/, an external target's in chaos-runs-external/ of its own dir.
    for (const runsDir of d.chaos ? ["chaos-runs", "chaos-runs-external"] : ["chaos-runs-external"])
      await importFile(store, path.join(d.dir, runsDir), async (dir) => void (counts.runs += await importRuns(store, d.name, dir)));
    if (store.engine === "postgres") await importJournal(store, d);
    result[d.name] = counts;
    if (Object.values(counts).some((n) => n > 0))
      await store.db.query("insert into imports (source, detail) values ($1, $2::jsonb) on conflict (source) do update set detail = excluded.detail", [
        d.dir,
        toJson({ deployment: d.name, ...counts }),
      ]);
  }
  return result;
}

async function importRuns(store: Store, deployment: string, dir: string): Promise<number> {
  let count = 0;
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    let run: ChaosRun;
    try {
      run = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as ChaosRun;
    } catch {
      continue; // a torn file from a crash, skipped as the file store did
    }
    run.checks = (run.checks ?? []).map(normalizeCheck);
    if (run.state === "running" || run.state === "restoring") {
      run.state = "aborted";
      run.error = "the console stopped during this run";
      run.endedAt = run.endedAt ?? new Date().toISOString();
    }
    await store.runs.save(deployment, run, null);
    count++;
  }
  return count;
}

/**
 * An unfinished journal file moves to the store without an owner: the first replica to look
 * undoes it. One the store cannot take (another run's journal is there, the file is corrupt)
 * stays a file, said in the log: it is never dropped, and a person restores what it lists by hand.
 */
async function importJournal(store: Store, d: DeploymentDir): Promise<void> {
  const file = path.join(d.dir, JOURNAL_FILE);
  if (!fs.existsSync(file)) return;
  try {
    const journal = readUnfinishedJournal(d.dir);
    if (journal) await store.journals.put({ ...journal, deployment: d.name }, null);
    fs.renameSync(file, `${file}.imported`);
  } catch (err) {
    console.error(
      `[store] the fault journal ${file} stays a file (${(err as Error).message}): restore what it lists by hand, then delete it (docs/chaos-dev-stack.md)`,
    );
  }
}

async function importFile(store: Store, file: string, load: (file: string) => Promise<void>): Promise<void> {
  if (!fs.existsSync(file)) return;
  await load(file);
  fs.renameSync(file, `${file}.imported`);
}
