/**
 * `up` and `down` for either sandbox: start its supervisor detached and wait until the state file
 * says ready; stop it and leave nothing behind. The Sentinel sandbox (devstack/lifecycle.ts) and
 * the Cluster sandbox (devstack/cluster/cluster-lifecycle.ts) fill in a `SandboxKind`: what they
 * are called, which script supervises them, which binaries and ports they need, their state file.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findStackProcesses, killStackProcesses } from "../ownership";
import { missingBinaries } from "../preflight";
import { isAlive } from "../state";
import { TSX_LOADER } from "../tsx-loader";

export class StackError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** What a supervisor writes and `up` waits for. */
export interface SupervisedState {
  supervisorPid: number;
  basePort: number;
  ready: boolean;
}

/** What differs between the two sandboxes' `up` and `down`. */
export interface SandboxKind<Settings extends { dir: string; basePort: number }, State extends SupervisedState> {
  /** How messages name it: "stack" or "cluster". */
  noun: string;
  /** The flag its commands carry: "" or " --cluster". */
  flag: string;
  /** The supervisor's entry point, absolute. */
  supervisor: string;
  /** The env var that hands the settings to the supervisor. */
  settingsEnv: string;
  /** The env var that moves its base port, for the "port taken" hint. */
  basePortEnv: string;
  binaries: string[];
  /** The Debian packages that bring them. */
  packages: string;
  /** What "up" waits for, as messages say it: "healthy", "ok". */
  readyWord: string;
  startTimeoutMs: number;
  /** Its named ports that something else already listens on. */
  takenPorts(settings: Settings): Promise<{ name: string; port: number }[]>;
  readState(dir: string): State | null;
  removeState(dir: string): void;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Removes what a dead supervisor left: processes running in the sandbox's dir and the state file. */
export async function cleanStaleSandbox<St extends SupervisedState>(kind: SandboxKind<never, St>, dir: string): Promise<number[]> {
  const killed = fs.existsSync(dir) ? await killStackProcesses(dir) : [];
  kind.removeState(dir);
  return killed;
}

export async function sandboxUp<Se extends { dir: string; basePort: number }, St extends SupervisedState>(
  kind: SandboxKind<Se, St>,
  settings: Se,
  timeoutMs = kind.startTimeoutMs,
): Promise<St> {
  const missing = missingBinaries(kind.binaries);
  if (missing.length) throw new StackError(`missing ${missing.join(" and ")}. Install them with: sudo apt-get install -y ${kind.packages}`, 2);
  const existing = kind.readState(settings.dir);
  if (existing && isAlive(existing.supervisorPid)) {
    throw new StackError(
      `a ${kind.noun} is already up in ${settings.dir} (supervisor pid ${existing.supervisorPid}, base port ${existing.basePort}). ` +
        `Use it, or stop it first with: npm run stack -- down${kind.flag}`,
    );
  }
  if (existing || (fs.existsSync(settings.dir) && findStackProcesses(settings.dir).length)) {
    const killed = await cleanStaleSandbox(kind, settings.dir);
    process.stderr.write(`cleaned a stale ${kind.noun} in ${settings.dir} (${killed.length} leftover processes killed)\n`);
  }
  const taken = await kind.takenPorts(settings);
  if (taken.length) {
    throw new StackError(
      `port${taken.length > 1 ? "s" : ""} ${taken.map((t) => `${t.port} (${t.name})`).join(", ")} already in use by another process. ` +
        `Free ${taken.length > 1 ? "them" : "it"}, or pick another base port: npm run stack -- up${kind.flag} --base-port <port> (or ${kind.basePortEnv})`,
    );
  }
  fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const logFile = path.join(settings.dir, "supervisor.log");
  const log = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["--import", TSX_LOADER, kind.supervisor], {
    // cwd inside the dir marks the supervisor as the sandbox's (ownership.ts), like its processes.
    cwd: settings.dir,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, [kind.settingsEnv]: JSON.stringify(settings), TSX_TSCONFIG_PATH: path.join(repoRoot, "tsconfig.json") },
  });
  fs.closeSync(log);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = kind.readState(settings.dir);
    if (state?.ready && state.supervisorPid === child.pid) return state;
    if (!isAlive(child.pid)) {
      await cleanStaleSandbox(kind, settings.dir);
      throw new StackError(`the ${kind.noun} failed to start. Supervisor log (${logFile}):\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await sandboxDown(kind, settings.dir);
  throw new StackError(`the ${kind.noun} was not ${kind.readyWord} within ${timeoutMs / 1000} s. Supervisor log (${logFile}):\n${tail(logFile)}`);
}

/** Stops the supervisor (it stops its children), then kills anything of the sandbox still alive in its dir. */
export async function sandboxDown<St extends SupervisedState>(
  kind: SandboxKind<never, St>,
  dir: string,
  timeoutMs = 15_000,
): Promise<{ wasRunning: boolean; leftovers: number }> {
  const state = kind.readState(dir);
  const wasRunning = !!state && isAlive(state.supervisorPid);
  if (state && wasRunning) {
    process.kill(state.supervisorPid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && isAlive(state.supervisorPid)) await new Promise((r) => setTimeout(r, 50));
  }
  const leftovers = (await cleanStaleSandbox(kind, dir)).length;
  return { wasRunning, leftovers };
}
