import "server-only";
/** Chaos runs on disk (one JSON file each), so results survive a console restart. */
import fs from "node:fs";
import path from "node:path";
import type { ChaosRun } from "./types";
import { normalizeCheck } from "./verdict";

const KEEP = 200;

export class RunStore {
  private runs = new Map<string, ChaosRun>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      try {
        const run = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as ChaosRun;
        // Runs written before checks had three states: a "not exercised" check was stored as ok.
        run.checks = (run.checks ?? []).map(normalizeCheck);
        if (run.state === "running") {
          // The console stopped mid-run; its finally never ran. Say so rather than show it running forever.
          run.state = "aborted";
          run.error = "the console stopped during this run";
          run.endedAt = run.endedAt ?? new Date().toISOString();
        }
        this.runs.set(run.id, run);
      } catch {
        /* a torn file from a crash: skip */
      }
    }
  }

  save(run: ChaosRun): void {
    this.runs.set(run.id, run);
    const tmp = path.join(this.dir, `${run.id}.json.tmp`);
    try {
      fs.writeFileSync(tmp, JSON.stringify(run, null, 2));
      fs.renameSync(tmp, path.join(this.dir, `${run.id}.json`));
    } catch {
      /* disk trouble must not break the run; memory still has it */
    }
    this.prune();
  }

  get(id: string): ChaosRun | undefined {
    return this.runs.get(id);
  }

  /** Newest first. */
  list(): ChaosRun[] {
    return [...this.runs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  private prune(): void {
    for (const old of this.list().slice(KEEP)) {
      this.runs.delete(old.id);
      fs.rmSync(path.join(this.dir, `${old.id}.json`), { force: true });
    }
  }
}
