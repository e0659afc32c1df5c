/**
 * The one typed client of the sandbox control API (devstack/README.md, "Control API"), used by
 * the chaos runner, the bench, the integration tests and e2e. Every method is a real route of
 * devstack/control/, every answer is parsed with the contract's schema, every call is bounded,
 * and the bearer token never appears in an error, a log line or the object's printout.
 */
import { ControlApiClient, type ControlClientOptions } from "./control-api-client";
import {
  AddressingAnswerSchema,
  ConnectionsReleasedSchema,
  ExhaustAnswerSchema,
  FailoverAnswerSchema,
  FaultAnswerSchema,
  FaultListSchema,
  FillAnswerSchema,
  FillerRemovedSchema,
  LayerHangClearedSchema,
  NodeActionAnswerSchema,
  ProxyClearedSchema,
  ResetAnswerSchema,
  StackStatusSchema,
} from "./control-answers";
import type { AddressingRequest, CutRequest, ExhaustRequest, FillRequest, LatencyRequest, NodeAction } from "./control-requests";
import { targetInDir, targetOf } from "./control-transport";
import type { StackState } from "./devstack-state";
import type { LayerId } from "./failure-contract";
import { IntegrityReportSchema, IntegrityStartSchema, TrafficStatsSchema } from "./workload-answers";

export { ControlError, type ControlAnswer, type ControlMethod, type ControlTarget } from "./control-transport";
export { CONTROL_TIMEOUT_MS, type ControlClientOptions } from "./control-api-client";

/** Reset answers only once the topology is healthy (the devstack gives up after ~80 s). */
const RESET_TIMEOUT_MS = 120_000;
/** A fill stops after 15 s; an integrity read-back reads every acknowledged write. */
const SLOW_TIMEOUT_MS = 30_000;

export class ControlClient extends ControlApiClient {
  protected readonly apiName = "control API";

  /** The client of the sandbox this state describes (throws when it has no control API). */
  static forState(state: Pick<StackState, "control" | "controlToken">, options?: ControlClientOptions): ControlClient {
    return new ControlClient(targetOf(state), options);
  }

  /** The client of whatever sandbox runs in `dir`, read from its state file at each call. */
  static inDir(dir: string, options?: ControlClientOptions): ControlClient {
    return new ControlClient(() => targetInDir(dir), options);
  }

  status() {
    return this.parsed(StackStatusSchema, "GET", "/status");
  }
  faults() {
    return this.parsed(FaultListSchema, "GET", "/faults");
  }
  /** Undoes every fault and waits until the topology is healthy again. */
  reset() {
    return this.parsed(ResetAnswerSchema, "POST", "/reset", {}, RESET_TIMEOUT_MS);
  }

  /** kill (SIGKILL) · freeze (SIGSTOP) · thaw · restart, of a process the devstack started, by name. */
  node(name: string, action: NodeAction, ttlSeconds?: number) {
    return this.parsed(
      NodeActionAnswerSchema,
      "POST",
      `/nodes/${encodeURIComponent(name)}/${action}`,
      action === "kill" || action === "freeze" ? { ttlSeconds } : {},
    );
  }
  killNode(name: string, ttlSeconds?: number) {
    return this.node(name, "kill", ttlSeconds);
  }
  freezeNode(name: string, ttlSeconds?: number) {
    return this.node(name, "freeze", ttlSeconds);
  }
  thawNode(name: string) {
    return this.node(name, "thaw");
  }
  restartNode(name: string) {
    return this.node(name, "restart");
  }
  /** The same, by pid (403 for a pid the devstack did not start). */
  processAction(pid: number, action: NodeAction, ttlSeconds?: number) {
    return this.parsed(NodeActionAnswerSchema, "POST", `/processes/${action}`, { pid, ttlSeconds });
  }

  proxyLatency(fault: LatencyRequest) {
    return this.parsed(FaultAnswerSchema, "POST", "/proxy/latency", fault);
  }
  proxyCut(fault: CutRequest = {}) {
    return this.parsed(FaultAnswerSchema, "POST", "/proxy/cut", fault);
  }
  proxyBlackhole(ttlSeconds?: number) {
    return this.parsed(FaultAnswerSchema, "POST", "/proxy/blackhole", { ttlSeconds });
  }
  /** The layers' addressing mode (follow the master, or pinned to the node that was master). */
  addressing() {
    return this.parsed(AddressingAnswerSchema, "GET", "/proxy/addressing");
  }
  /** Switches the layers' addressing for `ttlSeconds`; /reset and DELETE /proxy/addressing undo it. */
  setAddressing(request: AddressingRequest) {
    return this.parsed(AddressingAnswerSchema, "POST", "/proxy/addressing", request);
  }
  clearAddressing() {
    return this.parsed(AddressingAnswerSchema, "DELETE", "/proxy/addressing");
  }
  /** Undoes every proxy fault (latency, cut, blackhole, addressing). */
  clearProxyFaults() {
    return this.parsed(ProxyClearedSchema, "DELETE", "/proxy/faults");
  }

  hangLayer(id: LayerId, ttlSeconds?: number) {
    return this.parsed(FaultAnswerSchema, "POST", `/layers/${id}/hang`, { ttlSeconds });
  }
  unhangLayer(id: LayerId) {
    return this.parsed(LayerHangClearedSchema, "DELETE", `/layers/${id}/hang`);
  }

  /** 64 KB filler keys (each with the fault's TTL) on the master until it reaches the target or evicts. */
  fillMemory(fault: FillRequest) {
    return this.parsed(FillAnswerSchema, "POST", "/memory/fill", fault, SLOW_TIMEOUT_MS);
  }
  async removeFiller(): Promise<number> {
    return (await this.parsed(FillerRemovedSchema, "DELETE", "/memory/filler")).removed;
  }

  /** Holds connections open on the master until maxclients minus the headroom are in use; its TTL closes them if nobody does. */
  exhaustConnections(fault: ExhaustRequest) {
    return this.parsed(ExhaustAnswerSchema, "POST", "/redis/connections/exhaust", fault, SLOW_TIMEOUT_MS);
  }
  /** Closes the held connections; says how many connections the master refused meanwhile. */
  releaseConnections() {
    return this.parsed(ConnectionsReleasedSchema, "DELETE", "/redis/connections");
  }

  /** SENTINEL FAILOVER on the first live sentinel (409 with Sentinel's reason when it refuses). */
  sentinelFailover() {
    return this.parsed(FailoverAnswerSchema, "POST", "/sentinel/failover", {});
  }

  /** Steady round-robin traffic to the four layers; stats start over. */
  startTraffic(rps?: number) {
    return this.parsed(TrafficStatsSchema, "POST", "/workloads/traffic/start", { rps });
  }
  stopTraffic() {
    return this.parsed(TrafficStatsSchema, "POST", "/workloads/traffic/stop", {});
  }
  trafficStats() {
    return this.parsed(TrafficStatsSchema, "GET", "/workloads/traffic");
  }
  /** Counts and percentiles start over, so the next read covers only what follows. */
  resetTrafficStats() {
    return this.parsed(TrafficStatsSchema, "POST", "/workloads/traffic/reset", {});
  }

  /** Sequenced writes to the master (20 ms apart); resolves with the run id. */
  async startIntegrity(): Promise<string> {
    return (await this.parsed(IntegrityStartSchema, "POST", "/workloads/integrity/start", {})).run;
  }
  /** Counters and a read-back of every acknowledged write so far. */
  integrityReport() {
    return this.parsed(IntegrityReportSchema, "GET", "/workloads/integrity", undefined, SLOW_TIMEOUT_MS);
  }
  /** Stops writing, then reads every acknowledged write back from the current master. */
  stopIntegrity() {
    return this.parsed(IntegrityReportSchema, "POST", "/workloads/integrity/stop", {}, SLOW_TIMEOUT_MS);
  }
}
