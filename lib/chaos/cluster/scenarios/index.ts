import "server-only";
/** The scenarios the cluster sandbox runs, by DESIGN.md's ids, and why it cannot run the others. */
import type { ScenarioId } from "../../../contract/scenarios";
import type { Scenario } from "../../scenario";
import type { ClusterControlClient as ClusterControl } from "../../../contract/cluster-control-client";
import { clusterDataIntegrity } from "./data-integrity";
import { clusterFailover } from "./failover";
import { clusterMemoryPressure } from "./memory-pressure";
import { clusterOutage } from "./outage";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CLUSTER_SCENARIOS: Partial<Record<ScenarioId, Scenario<any, ClusterControl>>> = {
  outage: clusterOutage,
  "memory-pressure": clusterMemoryPressure,
  "data-integrity": clusterDataIntegrity,
  failover: clusterFailover,
};

export const CLUSTER_UNAVAILABLE: Partial<Record<ScenarioId, string>> = {
  latency:
    "the cluster sandbox has no fault proxy: its layers are cluster clients that reach every node directly, so no latency can be put between them and one shard. Run latency on the Sentinel sandbox (npm run stack -- up).",
  "restart-under-load":
    "the cluster sandbox has no traffic workload to restart under; on the cluster a shard's restart is the outage scenario (mode kill: its recovery is timed per layer) and a master's crash the failover scenario.",
};
