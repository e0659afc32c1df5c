/**
 * Which processes belong to a stack. Every process devstack spawns runs with its working
 * directory inside the stack dir, so /proc/<pid>/cwd tells ours from anyone else's, even after
 * the supervisor died and its state file is stale.
 */
import fs from "node:fs";
import path from "node:path";

function cwdOf(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/** True when the pid's working directory is the stack dir or inside it. */
export function isStackProcess(dir: string, pid: number): boolean {
  const cwd = cwdOf(pid);
  if (!cwd) return false;
  const root = fs.existsSync(dir) ? fs.realpathSync(dir) : path.resolve(dir);
  return cwd === root || cwd.startsWith(root + path.sep);
}

/** All live processes whose working directory lies inside the stack dir. */
export function findStackProcesses(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    if (isStackProcess(dir, pid)) pids.push(pid);
  }
  return pids;
}

/** Kills every process of the stack (thawing frozen ones first) and waits until they are gone. */
export async function killStackProcesses(dir: string, timeoutMs = 5000): Promise<number[]> {
  const pids = findStackProcesses(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGCONT");
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && findStackProcesses(dir).some((p) => pids.includes(p))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return pids;
}
