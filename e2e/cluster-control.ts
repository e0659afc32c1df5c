/** The e2e cluster sandbox's control API, for injecting and undoing faults from a cluster spec. */
import path from "node:path";
import { ClusterControlClient } from "../lib/contract/cluster-control-client";
import type { ControlMethod } from "../lib/contract/control-transport";
import { E2E_CLUSTER } from "./env";

/** The cluster sandbox of the e2e run, read from its state file at each call (a restarted sandbox has a new token). */
export const e2eClusterControl = ClusterControlClient.inDir(path.join(process.cwd(), E2E_CLUSTER.clusterDir));

/** One call with any status as the answer, for specs that assert it. */
export function clusterControl(method: ControlMethod, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  return e2eClusterControl.request(method, route, body, { timeoutMs: 120_000 });
}
