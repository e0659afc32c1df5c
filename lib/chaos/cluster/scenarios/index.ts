import "server-only";
/** The scenarios the cluster sandbox runs, by DESIGN.md's ids, and why it cannot run the others. */
import type { ScenarioId } from "../../../contract/scenarios";
import { offeredBy, type CapabilitiesOf } from "../../capabilities";
import { connectionExhaustion } from "../../scenarios/connection-exhaustion";
import { latency } from "../../scenarios/latency";
import { restartUnderLoad } from "../../scenarios/restart-under-load";
import type { TargetScenario } from "../../scenario";
import type { ClusterControlClient as ClusterControl } from "../../../contract/cluster-control-client";
import { clusterDataIntegrity } from "./data-integrity";
import { clusterFailover } from "./failover";
import { clusterMemoryPressure } from "./memory-pressure";
import { clusterOutage } from "./outage";

/** What the cluster sandbox cannot do yet, and why: a scenario that needs one of these answers 400 naming it. */
export const CLUSTER_CAPABILITIES: CapabilitiesOf<ClusterControl> = {
  "add-latency": {
    lacks:
      "the cluster sandbox has no fault proxy: its layers are cluster clients that reach every node directly, so no latency can be put between them and one shard. Run latency on the Sentinel sandbox (npm run stack -- up).",
  },
  "drive-traffic": {
    lacks:
      "the cluster sandbox has no traffic workload to run under a fault: its runs call the layers as tenants placed on each shard. On the cluster a shard's restart is the outage scenario (mode kill: its recovery is timed per layer) and a master's crash the failover scenario.",
  },
  // Its control API restarts a node (POST /nodes/:name/restart); no scenario run here needs it alone yet.
  "restart-master": (control: ClusterControl) => ({ restartNode: (name: string) => control.restart(name) }),
  "set-addressing": { lacks: "the cluster sandbox's layers are cluster clients that follow the slot map themselves: there is no address to pin or follow." },
  "exhaust-connections": {
    lacks:
      "the cluster sandbox's control API cannot hold a shard master's connections yet (the Sentinel sandbox's POST /redis/connections/exhaust has no cluster route). Run connection-exhaustion on the Sentinel sandbox (npm run stack -- up).",
  },
};

/** Every scenario id answered: the compiler refuses a new one until the cluster runs it or says why not. */
export const CLUSTER_SCENARIOS: Record<ScenarioId, TargetScenario<ClusterControl>> = {
  outage: clusterOutage,
  "memory-pressure": clusterMemoryPressure,
  "data-integrity": clusterDataIntegrity,
  failover: clusterFailover,
  latency: offeredBy(latency, CLUSTER_CAPABILITIES),
  "connection-exhaustion": offeredBy(connectionExhaustion, CLUSTER_CAPABILITIES),
  "restart-under-load": offeredBy(restartUnderLoad, CLUSTER_CAPABILITIES),
};
