import "server-only";
/**
 * The fault journal: before a fault is injected, what undoes it is written to disk and fsynced
 * (file, then directory), so a console killed mid-run (kill -9, power loss) can restore the
 * target on its next start. One journal per deployment, in the deployment's data dir; a
 * finished run removes it.
 */
import fs from "node:fs";
import path from "node:path";

export interface NodeAddress {
  host: string;
  port: number;
}

/** One thing to undo; the newest is undone first. */
export type JournalEntry =
  | { kind: "config"; node: NodeAddress; name: string; original: string }
  | { kind: "filler"; node: NodeAddress; pattern: string }
  | { kind: "pause"; node: NodeAddress; untilMs: number }
  | { kind: "marker"; node: NodeAddress; key: string; original: string | null }
  | { kind: "lock"; node: NodeAddress; key: string; runId: string }
  /** A DEBUG CRASH-AND-RECOVER: nothing to send back, but the restore waits until the node answers again. */
  | { kind: "restart"; node: NodeAddress; at: number };

export interface JournalFile {
  deployment: string;
  runId: string;
  startedAt: string;
  entries: JournalEntry[];
  /**
   * Where the run's keys can be found after a failover: every data node and the sentinels.
   * A pause longer than down-after-milliseconds lets Sentinel promote the replica, and the
   * lock, marker and filler then live on a master the entries do not name. No secrets here.
   */
  topology?: { nodes: NodeAddress[]; sentinels: NodeAddress[]; masterName: string };
}

export const JOURNAL_FILE = "chaos-journal.json";

function fsyncPath(p: string): void {
  const fd = fs.openSync(p, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class FaultJournal {
  private readonly file: string;
  readonly data: JournalFile;

  constructor(
    readonly dir: string,
    deployment: string,
    runId: string,
    existing?: JournalFile,
  ) {
    this.file = path.join(dir, JOURNAL_FILE);
    this.data = existing ?? { deployment, runId, startedAt: new Date().toISOString(), entries: [] };
  }

  /** Records what undoes the next fault; returns once it is on disk (written, fsynced, renamed, directory fsynced). */
  record(entry: JournalEntry): void {
    this.data.entries.push(entry);
    this.flush();
  }

  /** Whether an entry of this kind for this node/name is already recorded (the first original wins). */
  has(pred: (e: JournalEntry) => boolean): boolean {
    return this.data.entries.some(pred);
  }

  flush(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(this.data, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    fsyncPath(this.dir);
  }

  /** Everything was undone: the journal goes, so the next start has nothing to restore. */
  finish(): void {
    fs.rmSync(this.file, { force: true });
    fsyncPath(this.dir);
  }
}

/** An unfinished journal left by a console that died mid-run, or null. A corrupt one is an error, never ignored. */
export function readUnfinishedJournal(dir: string): JournalFile | null {
  const file = path.join(dir, JOURNAL_FILE);
  if (!fs.existsSync(file)) return null;
  const data = JSON.parse(fs.readFileSync(file, "utf8")) as JournalFile;
  if (!Array.isArray(data.entries) || typeof data.runId !== "string")
    throw new Error(`${file} is not a fault journal: restore by hand (see docs/chaos-dev-stack.md)`);
  return data;
}
