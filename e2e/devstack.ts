/** The e2e devstack's control API, for injecting and undoing faults from a test. */
import path from "node:path";
import { ControlClient, type ControlMethod } from "../lib/contract/control-client";
import { E2E } from "./env";

/** The contract's client, reading the e2e sandbox's state file at each call. */
export const devstackControl = ControlClient.inDir(path.join(process.cwd(), E2E.devstackDir));

export async function controlApi(method: ControlMethod, route: string, body?: unknown): Promise<unknown> {
  return devstackControl.call(method, route, body, 120_000);
}
