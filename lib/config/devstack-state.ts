import "server-only";
/**
 * The console's side of the sandbox's state file: where it is, and reading it through the
 * contract's schema. The password and control token stay inside the server process.
 */
import path from "node:path";
import { readStackState, type StackState } from "../contract/devstack-state";

export type DevstackState = StackState;

export function devstackDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.DEVSTACK_DIR ?? ".devstack");
}

/** The state of the devstack in `dir`, or null when there is none (or it is unreadable). */
export function readDevstackState(dir = devstackDir()): DevstackState | null {
  return readStackState(dir);
}
