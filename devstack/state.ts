/**
 * The devstack state file (`<dir>/state.json`, mode 0600). It holds the secrets (password,
 * control token), so only `publicStatus()`'s secret-free view may ever be printed.
 */
import fs from "node:fs";
import path from "node:path";
import type { StackSettings } from "./settings";

export interface ManagedNodeState {
  name: string;
  kind: "redis" | "sentinel";
  port: number;
  pid: number | null;
  /** Set while the process is stopped with SIGSTOP. */
  frozen?: boolean;
}

export interface StackState {
  stackId: string;
  dir: string;
  host: "127.0.0.1";
  basePort: number;
  masterName: string;
  password: string;
  controlToken: string;
  supervisorPid: number;
  startedAt: string;
  ready: boolean;
  nodes: ManagedNodeState[];
  sentinels: ManagedNodeState[];
  proxy: { port: number } | null;
  control: { port: number; url: string } | null;
  layers: { id: string; port: number; url: string }[];
  settings: StackSettings;
}

export function stateFile(dir: string): string {
  return path.join(dir, "state.json");
}

export function readState(dir: string): StackState | null {
  try {
    return JSON.parse(fs.readFileSync(stateFile(dir), "utf8")) as StackState;
  } catch {
    return null;
  }
}

/** Writes atomically (tmp + rename) so a reader never sees half a file. */
export function writeState(state: StackState): void {
  fs.mkdirSync(state.dir, { recursive: true, mode: 0o700 });
  const file = stateFile(state.dir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
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
