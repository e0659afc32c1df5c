/**
 * The kernel's view of a process's run state (Linux `/proc/<pid>/stat`, field 3). A signal is
 * delivered when the target next runs: `kill(SIGSTOP)` returns while the process may still be
 * `R`unnable, more so on a busy machine. Freeze and thaw wait on this so that an answer saying
 * "frozen" is true when it is given.
 */
import fs from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

/** `R`, `S`, `D`, `T` (stopped), `t` (traced), `Z`…; null once the process is gone. */
export function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: read after the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) || null;
  } catch {
    return null;
  }
}

export const isStopped = (state: string | null): boolean => state === "T" || state === "t";

/** Polls until `want(state)` or the deadline; says whether it got there. */
export async function waitForProcState(pid: number, want: (state: string | null) => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (want(procState(pid))) return true;
    if (Date.now() >= deadline) return false;
    await delay(10);
  }
}
