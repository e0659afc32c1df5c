import "server-only";
/**
 * Chaos runs in memory, each saved to the store (or to one JSON file each in a dir, for the
 * external target's own history), so results survive a console restart.
 */
import fs from "node:fs";
import path from "node:path";
import type { Records } from "../store/records";
import type { ChaosRun } from "./types";
import { normalizeCheck } from "./verdict";

const KEEP = 200;

export class RunStore {
  private runs = new Map<string, ChaosRun>();
  private readonly records: Records<ChaosRun>;

  /** `where`: the store's records for the deployment, or a dir of one JSON file per run. */
  constructor(where: Records<ChaosRun> | string) {
    this.records = typeof where === "string" ? dirRecords(where) : where;
    for (const run of this.records.initial) {
      // Runs written before checks had three states: a "not exercised" check was stored as ok.
      run.checks = (run.checks ?? []).map(normalizeCheck);
      if (run.state === "running" || run.state === "restoring") {
        // The console stopped mid-run; its finally never ran. Say so rather than show it running forever.
        run.state = "aborted";
        run.error = "the console stopped during this run";
        run.endedAt = run.endedAt ?? new Date().toISOString();
        this.records.save(run);
      }
      this.runs.set(run.id, run);
    }
  }

  save(run: ChaosRun): void {
    this.runs.set(run.id, run);
    this.records.save(run);
    this.prune();
  }

  get(id: string): ChaosRun | undefined {
    return this.runs.get(id);
  }

  /** Newest first. */
  list(): ChaosRun[] {
    return [...this.runs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Memory stays bounded; the store keeps older runs until retention removes them. */
  private prune(): void {
    for (const old of this.list().slice(KEEP)) this.runs.delete(old.id);
  }
}

/** One JSON file per run in `dir` (the external target's history). */
function dirRecords(dir: string): Records<ChaosRun> {
  fs.mkdirSync(dir, { recursive: true });
  const initial: ChaosRun[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    try {
      initial.push(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as ChaosRun);
    } catch {
      /* a torn file from a crash: skip */
    }
  }
  return {
    initial,
    save(run) {
      const tmp = path.join(dir, `${run.id}.json.tmp`);
      try {
        fs.writeFileSync(tmp, JSON.stringify(run, null, 2));
        fs.renameSync(tmp, path.join(dir, `${run.id}.json`));
      } catch {
        /* disk trouble must not break the run; memory still has it */
      }
    },
  };
}
