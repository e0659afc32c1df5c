import "server-only";
/**
 * Failover history on disk: one JSON record per line, appended; an amended record is appended
 * again and the last line for an id wins. Compacted on load so the file stays small.
 */
import fs from "node:fs";
import path from "node:path";
import type { FailoverRecord } from "./types";

export class FailoverStore {
  constructor(
    private readonly file: string | null,
    private readonly max = 50,
  ) {}

  /** The stored records, newest first (bounded). */
  load(): FailoverRecord[] {
    if (!this.file) return [];
    let lines: string[];
    try {
      lines = fs.readFileSync(this.file, "utf8").split("\n").filter(Boolean);
    } catch {
      return [];
    }
    const byId = new Map<string, FailoverRecord>();
    for (const line of lines) {
      try {
        const r = JSON.parse(line) as FailoverRecord;
        byId.delete(r.id);
        byId.set(r.id, r);
      } catch {
        /* a torn last line from a crash: skip it */
      }
    }
    const records = [...byId.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)).slice(0, this.max);
    if (lines.length > this.max * 2) this.rewrite(records);
    return records;
  }

  save(record: FailoverRecord): void {
    if (!this.file) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.appendFileSync(this.file, JSON.stringify(record) + "\n");
    } catch {
      /* a full disk must not stop the watch; memory still has it */
    }
  }

  private rewrite(records: FailoverRecord[]): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(
        tmp,
        [...records]
          .reverse()
          .map((r) => JSON.stringify(r) + "\n")
          .join(""),
      );
      fs.renameSync(tmp, this.file!);
    } catch {
      /* compaction is an optimisation */
    }
  }
}
