/** The e2e cluster sandbox's control API, for injecting and undoing faults from a cluster spec. */
import path from "node:path";
import { readClusterState } from "../lib/contract/cluster-state";
import { E2E_CLUSTER } from "./env";

export async function clusterControl(method: "GET" | "POST" | "DELETE", route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const state = readClusterState(path.join(process.cwd(), E2E_CLUSTER.clusterDir));
  if (!state?.control) throw new Error(`no cluster sandbox in ${E2E_CLUSTER.clusterDir}`);
  const res = await fetch(state.control.url + route, {
    method,
    headers: { authorization: `Bearer ${state.controlToken}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  return { status: res.status, body: await res.json() };
}
