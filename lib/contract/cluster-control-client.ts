/**
 * The one typed client of the Cluster sandbox's control API (devstack/cluster/cluster-control.ts),
 * used by the chaos runner, the stack CLI, the integration tests and e2e: per-node faults,
 * CLUSTER FAILOVER on a replica, filler in one master's slots, layer misbehaviour, and the reset
 * that restores the roles as created. The Sentinel sandbox's twin is control-client.ts.
 */
import {
  ClusterControlStatusSchema,
  ClusterFailoverAnswerSchema,
  ClusterFaultListSchema,
  ClusterFillAnswerSchema,
  ClusterResetAnswerSchema,
  MisbehaveAnswerSchema,
  type ClusterFailoverMode,
} from "./cluster-control-answers";
import { readClusterState, type ClusterState } from "./cluster-state";
import { ControlApiClient, type ControlClientOptions } from "./control-api-client";
import { FillerRemovedSchema, NodeActionAnswerSchema } from "./control-answers";
import type { NodeAction } from "./control-requests";
import { ControlError, type ControlTarget } from "./control-transport";
import type { LayerId } from "./failure-contract";

/** The sandbox answers a reset only once the cluster is ok with the roles as created (it gives up after ~60 s). */
const RESET_TIMEOUT_MS = 120_000;
/** A fill writes until the target or eviction; a manual failover waits for the replica to catch up. */
const SLOW_TIMEOUT_MS = 45_000;

/** The control API of the cluster sandbox this state describes. */
function clusterTargetOf(state: Pick<ClusterState, "control" | "controlToken">): ControlTarget {
  if (!state.control) throw new ControlError("the cluster sandbox has no control API yet (it is still starting, or it failed to start)", null);
  return { url: state.control.url, token: state.controlToken };
}

/** The control API of the cluster sandbox in `dir`, read now: a restarted sandbox has a new token. */
function clusterTargetInDir(dir: string): ControlTarget {
  const state = readClusterState(dir);
  if (!state) throw new ControlError("the cluster sandbox is not running (no cluster-state.json): start it with `npm run stack -- up --cluster`", null);
  return clusterTargetOf(state);
}

export class ClusterControlClient extends ControlApiClient {
  protected readonly apiName = "cluster control API";

  /** The client of the cluster sandbox this state describes (throws when it has no control API). */
  static forState(state: Pick<ClusterState, "control" | "controlToken">, options?: ControlClientOptions): ClusterControlClient {
    return new ClusterControlClient(clusterTargetOf(state), options);
  }

  /** The client of whatever cluster sandbox runs in `dir`, read from its state file at each call. */
  static inDir(dir: string, options?: ControlClientOptions): ClusterControlClient {
    return new ClusterControlClient(() => clusterTargetInDir(dir), options);
  }

  status() {
    return this.parsed(ClusterControlStatusSchema, "GET", "/status");
  }
  async faults() {
    return (await this.parsed(ClusterFaultListSchema, "GET", "/faults")).faults;
  }
  /** Undoes every fault, removes the filler, gives each node its created role back; answers once the cluster is ok. */
  reset() {
    return this.parsed(ClusterResetAnswerSchema, "POST", "/reset", {}, RESET_TIMEOUT_MS);
  }

  /** kill (SIGKILL) · freeze (SIGSTOP) · thaw · restart, of a node the sandbox started, by name. */
  node(name: string, action: NodeAction, ttlSeconds?: number) {
    return this.parsed(
      NodeActionAnswerSchema,
      "POST",
      `/nodes/${encodeURIComponent(name)}/${action}`,
      action === "kill" || action === "freeze" ? { ttlSeconds } : {},
    );
  }
  /** kill -9 or SIGSTOP, undone after `ttlSeconds` at the latest. */
  fault(node: string, action: "kill" | "freeze", ttlSeconds: number) {
    return this.node(node, action, ttlSeconds);
  }
  restart(node: string) {
    return this.node(node, "restart");
  }
  thaw(node: string) {
    return this.node(node, "thaw");
  }

  /** CLUSTER FAILOVER on a replica: it takes its master's slots. */
  failover(replica: string, mode: ClusterFailoverMode = "default") {
    return this.parsed(ClusterFailoverAnswerSchema, "POST", `/nodes/${encodeURIComponent(replica)}/failover`, { mode }, SLOW_TIMEOUT_MS);
  }
  /** Filler keys in this master's own slots, each with the TTL, until it reaches the target or evicts. */
  fill(master: string, targetPercent: number, ttlSeconds: number) {
    return this.parsed(ClusterFillAnswerSchema, "POST", `/nodes/${encodeURIComponent(master)}/fill`, { targetPercent, ttlSeconds }, SLOW_TIMEOUT_MS);
  }
  async removeFiller(): Promise<number> {
    return (await this.parsed(FillerRemovedSchema, "DELETE", "/memory/filler")).removed;
  }

  /** The layer breaks its failure contract on purpose (its one mode, MISBEHAVE_MODES) for `ttlSeconds`. */
  misbehave(layer: LayerId, mode: string, ttlSeconds: number) {
    return this.parsed(MisbehaveAnswerSchema, "POST", `/layers/${layer}/misbehave`, { mode, ttlSeconds });
  }
  behave(layer: LayerId) {
    return this.parsed(MisbehaveAnswerSchema, "DELETE", `/layers/${layer}/misbehave`);
  }
}
