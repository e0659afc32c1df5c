import "server-only";
/**
 * An unfinished fault journal blocks the target until it is undone: the journal is the only record
 * of the originals (maxmemory, policy, the marker), so no new run may begin over it. Its restore is
 * tried at once and then again with backoff until it succeeds; the Chaos page shows the state.
 * In the store (several replicas), a journal whose run still goes on a live replica is that
 * replica's: it is neither undone nor said here (the run's 409 says it).
 */
import type { TimelineInput } from "../../collector/changes";
import type { JournalBackend } from "../journal";
import type { RestoreAccess } from "./restore";
import { recoverUnfinished } from "./session";

/** What the Chaos page and a refused start say about the journal. */
export interface RecoveryStatus {
  /** `idle`: no journal; `restoring`: an attempt is under way; `waiting`: the last attempt failed, the next is at `nextAttemptAt`. */
  state: "idle" | "restoring" | "waiting";
  /** Where the unfinished journal is (its file, or the store), or null. */
  journal: string | null;
  runId: string | null;
  attempts: number;
  problems: string[];
  nextAttemptAt: string | null;
}

export interface RecoveryResult {
  runId: string;
  done: string[];
  problems: string[];
  attempt: number;
}

/** The timeline's word on one restore attempt: a journal not finished is a warning that chaos waits. */
export function recoveryEvent(r: RecoveryResult): TimelineInput {
  return {
    kind: "chaos",
    severity: "warn",
    subject: r.runId,
    title: r.problems.length
      ? `Chaos run ${r.runId}'s journal is NOT finished: its restore failed (attempt ${r.attempt}); chaos waits and the console retries`
      : `Chaos run ${r.runId}'s faults were undone from the journal${r.attempt > 1 ? ` (attempt ${r.attempt})` : ""}`,
    detail: [...r.done, ...r.problems].join("; "),
  };
}

/** The wait before attempt n+1 (n ≥ 1): doubling from 1 s, at most 30 s. */
export function recoveryBackoffMs(attempts: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

export class JournalRecovery {
  private state: RecoveryStatus["state"] = "idle";
  private attempts = 0;
  private runId: string | null = null;
  private problems: string[] = [];
  private nextAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly backend: JournalBackend,
    private readonly access: () => RestoreAccess | null,
    /** Told the first failure and the success (not every retry: the timeline would fill). */
    private readonly onResult: (r: RecoveryResult) => void,
    /**
     * Whether the journal's run goes on in this console (being started or running). The store
     * counts a journal this replica owns as its own to undo, which is right only once its run is
     * over: without this, the replica's own watch undid its live run's faults within 2 s.
     */
    private readonly runsHere: (runId: string) => boolean = () => false,
  ) {}

  get journalPath(): string {
    return this.backend.where;
  }

  /** Whether an unfinished journal is this console's to undo (one it cannot read counts: it is never ignored). */
  private async unfinished(): Promise<boolean> {
    const j = await this.backend.read().catch(() => null);
    if (!j || this.runsHere(j.runId)) return false;
    return this.backend.orphaned ? this.backend.orphaned(j).catch(() => false) : true;
  }

  async status(): Promise<RecoveryStatus> {
    const journal = (await this.unfinished()) ? this.journalPath : null;
    return {
      state: journal || this.state === "restoring" ? this.state : "idle",
      journal,
      runId: this.runId,
      attempts: this.attempts,
      problems: this.problems,
      nextAttemptAt: this.nextAt ? new Date(this.nextAt).toISOString() : null,
    };
  }

  /** Why a new run must wait (the 409's message), or null when no journal is left. */
  async refusal(): Promise<string | null> {
    const s = await this.status();
    if (s.state === "idle" && !s.journal) return null;
    const what = s.runId ? `run ${s.runId}'s fault journal ${this.journalPath}` : `the fault journal ${this.journalPath}`;
    const last = s.problems.length ? ` The last restore (attempt ${s.attempts}) left: ${s.problems.join("; ")}.` : "";
    const when = s.state === "restoring" ? "its restore is under way" : `the console retries its restore${s.nextAttemptAt ? ` at ${s.nextAttemptAt}` : ""}`;
    return (
      `chaos refused (journal): ${what} is not finished — it holds the originals a run changed, so no run begins until it is undone; ${when}.${last} ` +
      "Fix: make the target answer the chaos user again (the console then finishes the journal itself), or restore what it lists by hand and delete the file (docs/chaos-dev-stack.md)"
    );
  }

  /** Starts restoring now (joins an attempt under way), then with backoff until the journal is gone; resolves when this attempt ends. */
  kick(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = this.attempt().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Looks every `everyMs` while no attempt is under way or waiting: another replica's journal becomes this one's to undo when that replica dies. */
  watch(everyMs: number): void {
    setInterval(() => {
      if (this.state === "idle" && !this.inFlight) void this.kick();
    }, everyMs).unref();
  }

  private async attempt(): Promise<void> {
    const access = this.access();
    if (!access || !(await this.unfinished())) {
      this.state = "idle";
      this.nextAt = null;
      return;
    }
    this.state = "restoring";
    this.nextAt = null;
    this.attempts++;
    const r = await recoverUnfinished(this.backend, access).catch((err: Error) => ({
      runId: this.runId ?? "?",
      done: [] as string[],
      problems: [err.message],
    }));
    if (r) this.runId = r.runId;
    this.problems = r?.problems ?? [];
    if (!r || !r.problems.length) {
      this.state = "idle";
      if (r) this.onResult({ ...r, attempt: this.attempts });
      this.attempts = 0;
      return;
    }
    if (this.attempts === 1) this.onResult({ ...r, attempt: this.attempts });
    this.state = "waiting";
    const wait = recoveryBackoffMs(this.attempts);
    this.nextAt = Date.now() + wait;
    this.timer = setTimeout(() => void this.attempt(), wait);
    this.timer.unref?.();
  }
}
