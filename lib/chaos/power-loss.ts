import "server-only";
/**
 * Whether a sandbox node runs under the power-loss shim (devstack/topology/power-loss-shim.ts),
 * read from the process itself: the shim's library is mapped into it or it is not. Only then
 * does a kill -9 drop the AOF's unsynced writes, as a machine crash would.
 */
import fs from "node:fs";
import { readDevstackState } from "../config/devstack-state";

/** devstack/topology/power-loss-shim.ts's library name (the console does not import the devstack). */
export const SHIM_LIBRARY = "power-loss-shim.so";

/** The node's pid from the sandbox's state file, or null. */
function nodePid(devstackDir: string, node: string): number | null {
  return readDevstackState(devstackDir)?.nodes.find((n) => n.name === node)?.pid ?? null;
}

/** True when the shim is loaded in the node's process; null when that cannot be read (no pid, no /proc). */
export function underPowerLossShim(devstackDir: string, node: string): boolean | null {
  const pid = nodePid(devstackDir, node);
  if (!pid) return null;
  try {
    return fs.readFileSync(`/proc/${pid}/maps`, "utf8").includes(SHIM_LIBRARY);
  } catch {
    return null;
  }
}
