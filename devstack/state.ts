/**
 * The devstack state file (`<dir>/state.json`, mode 0600). It holds the secrets (password,
 * control token), so only `publicStatus()`'s secret-free view may ever be printed.
 */
import fs from "node:fs";
import { stateFile, StackStateSchema, type StackState } from "../lib/contract/devstack-state";
import { writeStateFile } from "./sandbox/state-file";

// The shape is the sandbox's contract with its readers: one zod schema in lib/contract.
export { readStackState as readState, stateFile, type ManagedNodeState, type StackState } from "../lib/contract/devstack-state";

/** Writes atomically (tmp + rename) so a reader never sees half a file; what it writes passes the readers' schema. */
export function writeState(state: StackState): void {
  writeStateFile(stateFile(state.dir), StackStateSchema.parse(state));
}

export function removeState(dir: string): void {
  fs.rmSync(stateFile(dir), { force: true });
}

export function isAlive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); /proc tells it apart.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
