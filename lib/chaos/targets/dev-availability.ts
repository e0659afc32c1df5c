import "server-only";
/**
 * Which scenarios a dev stack can run now, and why not: the Chaos page asks it every few seconds,
 * so a stack that is not opted in, or lacks a capability, says so before anyone presses Run.
 */
import type { ConsoleConfig } from "../../config/schema";
import { SCENARIO_IDS } from "../../contract/scenarios";
import { clusterAvailability, clusterOptions, isClusterDevStack } from "./cluster-dev-stack";
import type { ConsoleProxy } from "./console-proxy";
import { externalOptions } from "./for-deployment";
import { NOT_OPTED_IN, sentinelAvailability, type Availability } from "./sentinel-dev-stack";

/** Per scenario, for the deployment with this config and data dir (`proxy`: its console-run fault proxy). */
export async function devStackAvailability(config: ConsoleConfig, dir: string, proxy: ConsoleProxy | null): Promise<Availability[]> {
  if (!isClusterDevStack(config)) return sentinelAvailability(config.chaos?.allow ? externalOptions(config) : null, dir, proxy);
  const opts = clusterOptions(config);
  const why = !opts || !config.chaos?.allow ? NOT_OPTED_IN : null;
  const answers = why ? null : await clusterAvailability(opts!, dir, SCENARIO_IDS).catch((err: Error) => err);
  if (answers && !(answers instanceof Error)) return answers;
  return SCENARIO_IDS.map((scenario) => ({ scenario, available: false, reason: why ?? (answers as Error).message }));
}
