/** `up` and `down` of the Sentinel sandbox: the shared sandbox lifecycle with its supervisor, binaries, ports and state file. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { takenPorts } from "./preflight";
import { cleanStaleSandbox, sandboxDown, sandboxUp, type SandboxKind } from "./sandbox/sandbox-lifecycle";
import type { StackSettings } from "./settings";
import { readState, removeState, type StackState } from "./state";

export { StackError } from "./sandbox/sandbox-lifecycle";

export const SENTINEL_SANDBOX: SandboxKind<StackSettings, StackState> = {
  noun: "stack",
  flag: "",
  supervisor: path.join(path.dirname(fileURLToPath(import.meta.url)), "supervisor.ts"),
  settingsEnv: "DEVSTACK_SETTINGS_JSON",
  basePortEnv: "DEVSTACK_BASE_PORT",
  binaries: ["redis-server", "redis-sentinel"],
  packages: "redis-server redis-sentinel redis-tools",
  readyWord: "healthy",
  startTimeoutMs: 60_000,
  takenPorts,
  readState,
  removeState,
};

/** Removes what a dead supervisor left: processes running in the stack dir and the state file. */
export function cleanStale(dir: string): Promise<number[]> {
  return cleanStaleSandbox(SENTINEL_SANDBOX, dir);
}

export function stackUp(settings: StackSettings, timeoutMs?: number): Promise<StackState> {
  return sandboxUp(SENTINEL_SANDBOX, settings, timeoutMs);
}

/** Stops the supervisor (it stops its children), then kills anything of the stack still alive. */
export function stackDown(dir: string, timeoutMs?: number): Promise<{ wasRunning: boolean; leftovers: number }> {
  return sandboxDown(SENTINEL_SANDBOX, dir, timeoutMs);
}
