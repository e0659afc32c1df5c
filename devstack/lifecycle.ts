/** `up` and `down`: start the supervisor detached and wait for it; stop it and leave nothing behind. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { killStackProcesses, findStackProcesses } from "./ownership";
import { missingBinaries, takenPorts } from "./preflight";
import type { StackSettings } from "./settings";
import { isAlive, readState, removeState, type StackState } from "./state";
import { TSX_LOADER } from "./tsx-loader";

export class StackError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Removes what a dead supervisor left: processes running in the stack dir and the state file. */
export async function cleanStale(dir: string): Promise<number[]> {
  const killed = await killStackProcesses(dir);
  removeState(dir);
  return killed;
}

export async function stackUp(settings: StackSettings, timeoutMs = 60_000): Promise<StackState> {
  const missing = missingBinaries();
  if (missing.length) {
    throw new StackError(`missing ${missing.join(" and ")}. Install them with: sudo apt-get install -y redis-server redis-sentinel redis-tools`, 2);
  }
  const existing = readState(settings.dir);
  if (existing && isAlive(existing.supervisorPid)) {
    throw new StackError(
      `a stack is already up in ${settings.dir} (supervisor pid ${existing.supervisorPid}, base port ${existing.basePort}). ` +
        "Use it, or stop it first with: npm run stack -- down",
    );
  }
  if (existing || (fs.existsSync(settings.dir) && findStackProcesses(settings.dir).length)) {
    const killed = await cleanStale(settings.dir);
    process.stderr.write(`cleaned a stale stack in ${settings.dir} (${killed.length} leftover processes killed)\n`);
  }
  const taken = await takenPorts(settings);
  if (taken.length) {
    throw new StackError(
      `port${taken.length > 1 ? "s" : ""} ${taken.map((t) => `${t.port} (${t.name})`).join(", ")} already in use by another process. ` +
        `Free ${taken.length > 1 ? "them" : "it"}, or pick another base port: npm run stack -- up --base-port <port> (or DEVSTACK_BASE_PORT)`,
    );
  }
  fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const logFile = path.join(settings.dir, "supervisor.log");
  const log = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["--import", TSX_LOADER, path.join(here, "supervisor.ts")], {
    cwd: settings.dir,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, DEVSTACK_SETTINGS_JSON: JSON.stringify(settings), TSX_TSCONFIG_PATH: path.join(here, "..", "tsconfig.json") },
  });
  fs.closeSync(log);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState(settings.dir);
    if (state?.ready && state.supervisorPid === child.pid) return state;
    if (!isAlive(child.pid)) {
      await cleanStale(settings.dir);
      throw new StackError(`the stack failed to start. Supervisor log (${logFile}):\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stackDown(settings.dir);
  throw new StackError(`the stack was not healthy within ${timeoutMs / 1000} s. Supervisor log:\n${tail(logFile)}`);
}

/** Stops the supervisor (it stops its children), then kills anything of the stack still alive. */
export async function stackDown(dir: string, timeoutMs = 15_000): Promise<{ wasRunning: boolean; leftovers: number }> {
  const state = readState(dir);
  const wasRunning = !!state && isAlive(state.supervisorPid);
  if (state && wasRunning) {
    process.kill(state.supervisorPid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && isAlive(state.supervisorPid)) await new Promise((r) => setTimeout(r, 50));
  }
  const leftovers = fs.existsSync(dir) ? (await killStackProcesses(dir)).length : 0;
  removeState(dir);
  return { wasRunning, leftovers };
}
