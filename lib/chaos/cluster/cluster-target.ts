import "server-only";
/**
 * The Redis Cluster sandbox (`npm run stack -- up --cluster`) as a chaos target: its control
 * API, its four scenarios (latency and restart-under-load are refused with the reason), steady
 * state from the snapshot's cluster part, and a restore that ends with the roles as created and
 * no filler or integrity key on any node.
 */
import { readClusterState } from "../../contract/cluster-state";
import { claimsOf, type SandboxTarget } from "../target";
import { ClusterControlClient } from "../../contract/cluster-control-client";
import { clusterLeftovers, restoreCluster } from "./cluster-restore";
import { clusterSteadyProblems } from "./cluster-steady";
import { CLUSTER_CAPABILITIES, CLUSTER_SCENARIOS } from "./scenarios";

export function clusterTarget(dir: string): SandboxTarget<ClusterControlClient, "cluster"> {
  const control = ClusterControlClient.inDir(dir);
  return {
    kind: "cluster",
    scenarios: CLUSTER_SCENARIOS,
    capabilities: CLUSTER_CAPABILITIES,
    claims: claimsOf(CLUSTER_SCENARIOS),
    control,
    // The collector says why when it knows; the cluster's own state file is read too, since a run needs it now.
    refusal: (s) =>
      s.deployment.chaosRefusal ?? (readClusterState(dir)?.ready ? null : "The cluster sandbox is not running: start it with `npm run stack -- up --cluster`."),
    steadyProblems: (s) => clusterSteadyProblems(s),
    steadyDescription: "cluster_state ok on every node, 3 shards each with a master and a replica in sync, every layer ok",
    restore: () => restoreCluster(dir, control),
    postflightProblems: () => clusterLeftovers(dir, control),
  };
}
