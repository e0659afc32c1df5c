import "server-only";
/**
 * The fault journal: before a fault is injected, what undoes it is committed where a console that
 * comes after can read it, so a console killed mid-run (kill -9, power loss) does not leave the
 * fault behind. Two places (`JournalBackend`): a file in the deployment's data dir, written and
 * fsynced (file, then directory), for a console alone on its data dir; or the store shared by the
 * replicas (lib/store/journal-backend.ts), so another replica undoes a dead one's faults. One
 * journal per deployment; a finished run removes it.
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
  | { kind: "restart"; node: NodeAddress; at: number }
  /** A CLUSTER FAILOVER sent to `replica`: undone by one sent to `node` (the shard's master before), so the roles are as before. */
  | { kind: "failback"; node: NodeAddress; replica: NodeAddress };

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
  topology?: {
    nodes: NodeAddress[];
    sentinels: NodeAddress[];
    masterName: string;
    /** A Redis Cluster dev stack: its journal is undone by cluster-journal.ts (a key is found on the master serving its slot now). */
    cluster?: boolean;
    /** On a cluster: the masters when the run began, so the post-flight can say the roles are as before. */
    masters?: NodeAddress[];
  };
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

/** Where a journal is committed. */
export interface JournalBackend {
  /** Named in refusals and messages: the file's path, or the store. */
  readonly where: string;
  /** The unfinished journal, or null. A corrupt one is an error, never ignored. */
  read(): Promise<JournalFile | null>;
  /** Resolves once committed; throws when it could not be (the fault is then not made). */
  write(data: JournalFile): Promise<void>;
  /** Everything was undone: the journal goes. */
  remove(data: JournalFile): Promise<void>;
  /** Whether no live console is running the journal's run (a file has only its own console). */
  orphaned?(data: JournalFile): Promise<boolean>;
}

/** The journal as a file in `dir`, fsynced. */
export function fileJournal(dir: string): JournalBackend {
  const file = path.join(dir, JOURNAL_FILE);
  return {
    where: file,
    read: async () => readUnfinishedJournal(dir),
    write: async (data) => {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.tmp`;
      const fd = fs.openSync(tmp, "w", 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(data, null, 2));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
      fsyncPath(dir);
    },
    remove: async () => {
      fs.rmSync(file, { force: true });
      fsyncPath(dir);
    },
  };
}

export class FaultJournal {
  readonly data: JournalFile;
  readonly backend: JournalBackend;

  /** `where`: a data dir (the file) or a backend (the store). */
  constructor(where: string | JournalBackend, deployment: string, runId: string, existing?: JournalFile) {
    this.backend = typeof where === "string" ? fileJournal(where) : where;
    this.data = existing ?? { deployment, runId, startedAt: new Date().toISOString(), entries: [] };
  }

  /** Records what undoes the next fault; resolves once committed (the fault comes after). */
  async record(entry: JournalEntry): Promise<void> {
    this.data.entries.push(entry);
    await this.flush();
  }

  /** Whether an entry of this kind for this node/name is already recorded (the first original wins). */
  has(pred: (e: JournalEntry) => boolean): boolean {
    return this.data.entries.some(pred);
  }

  flush(): Promise<void> {
    return this.backend.write(this.data);
  }

  /** Everything was undone: the journal goes, so the next start has nothing to restore. */
  finish(): Promise<void> {
    return this.backend.remove(this.data);
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
