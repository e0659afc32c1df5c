/** `npm run stack -- up|down|status|reset --cluster [--json] [--base-port N] [--dir D]`: the cluster sandbox's commands. */
import { StackError } from "../lifecycle";
import { isAlive } from "../state";
import { clusterDown, clusterUp, cleanStaleCluster } from "./cluster-lifecycle";
import type { ClusterResetReport } from "./cluster-reset";
import { resolveClusterSettings } from "./cluster-settings";
import { clusterStatus, formatClusterStatus } from "./cluster-status";
import { readClusterState } from "./state";

export const CLUSTER_USAGE =
  "usage: npm run stack -- up|down|status|reset --cluster [--json] [--base-port 7100] [--dir .devstack-cluster] [--maxmemory 64mb] …";

export async function clusterMain(command: string | undefined, rest: string[]): Promise<number> {
  const settings = resolveClusterSettings(rest.filter((a) => a !== "--cluster"));
  const json = rest.includes("--json");
  switch (command) {
    case "up": {
      const state = await clusterUp(settings);
      const status = await clusterStatus(state);
      console.log(json ? JSON.stringify(status, null, 2) : `cluster up\n${formatClusterStatus(status)}`);
      return 0;
    }
    case "down": {
      const { wasRunning, leftovers } = await clusterDown(settings.dir);
      console.log(wasRunning ? "cluster stopped" : leftovers ? `no supervisor; killed ${leftovers} leftover processes` : "no cluster was running");
      return 0;
    }
    case "status": {
      const state = readClusterState(settings.dir);
      if (!state) {
        console.log(json ? JSON.stringify({ running: false, dir: settings.dir }) : `no cluster in ${settings.dir}`);
        return 1;
      }
      const status = await clusterStatus(state);
      console.log(json ? JSON.stringify(status, null, 2) : formatClusterStatus(status));
      return status.running && status.cluster.healthy ? 0 : 1;
    }
    case "reset": {
      const state = readClusterState(settings.dir);
      if (!state || !isAlive(state.supervisorPid)) {
        if (state) await cleanStaleCluster(settings.dir);
        throw new StackError("no cluster is running; start one with: npm run stack -- up --cluster");
      }
      if (!state.control) throw new StackError("the cluster is still starting; its control API is not up yet");
      const res = await fetch(`${state.control.url}/reset`, {
        method: "POST",
        headers: { authorization: `Bearer ${state.controlToken}`, "content-type": "application/json" },
        body: "{}",
        signal: AbortSignal.timeout(90_000),
      });
      const body = (await res.json()) as ClusterResetReport | { error: string };
      if (!res.ok || "error" in body) {
        console.log(`reset failed: ${"error" in body ? body.error : res.status}`);
        return 1;
      }
      console.log(`cluster reset: ok (${body.tookMs} ms); masters ${body.masters.map((m) => `${m.node} ${m.slots}`).join(", ")}`);
      return 0;
    }
    default:
      console.error(CLUSTER_USAGE);
      return 2;
  }
}
