/** `npm run stack -- up|down|status|reset --cluster [--json] [--base-port N] [--dir D]`: the cluster sandbox's commands. */
import { ClusterControlClient } from "../../lib/contract/cluster-control-client";
import { runSandboxCommand, type SandboxCli } from "../sandbox/sandbox-cli";
import { CLUSTER_SANDBOX } from "./cluster-lifecycle";
import { resolveClusterSettings, type ClusterSettings } from "./cluster-settings";
import { clusterStatus, formatClusterStatus, type ClusterPublicStatus } from "./cluster-status";
import type { ClusterState } from "./state";

export const CLUSTER_USAGE =
  "usage: npm run stack -- up|down|status|reset --cluster [--json] [--base-port 7100] [--dir .devstack-cluster] [--maxmemory 64mb] …";

const CLUSTER_CLI: SandboxCli<ClusterSettings, ClusterState, ClusterPublicStatus> = {
  kind: CLUSTER_SANDBOX,
  usage: CLUSTER_USAGE,
  status: clusterStatus,
  format: formatClusterStatus,
  healthy: (s) => s.running && s.cluster.healthy,
  hasControl: (state) => !!state.control,
  async reset(state) {
    const reset = await ClusterControlClient.forState(state).reset();
    return `cluster reset: ok (${reset.tookMs} ms); masters ${reset.masters.map((m) => `${m.node} ${m.slots}`).join(", ")}`;
  },
};

export function clusterMain(command: string | undefined, rest: string[]): Promise<number> {
  return runSandboxCommand(CLUSTER_CLI, command, resolveClusterSettings(rest.filter((a) => a !== "--cluster")), rest.includes("--json"));
}
