/**
 * The snapshot: everything a viewer sees at one instant. Built by the collector, pushed over
 * SSE, held by React Query. Client-safe: no secrets, no server imports.
 */
import type { LayerId, LayerStatus } from "../contract/failure-contract";
import type { FailoverProgress, FailoverRecord, ReplicaView } from "../sentinel/types";
import type { ConnectionProblem } from "../redis/connection-error";
import type { ClusterSnapshot } from "./cluster-types";

/** One contract check: what the guide expects, what was seen, and whether they agree. */
export interface ContractCheck {
  expect: string;
  observed: string;
  ok: boolean;
  /** The check on the layer's state as a whole (the others are its rule's conditions). */
  state?: boolean;
}

export interface ProbeRequest {
  /** The request's name in the probe config, e.g. "create". */
  name: string;
  /** What was sent, templates filled (never the headers: they may carry a key). */
  method?: string;
  path?: string;
  /** HTTP status, or null when the request got no answer (or was skipped). */
  status: number | null;
  /** The response headers the rules read (and X-RateLimit-*, X-Cache when present), lower-cased. */
  headers?: Record<string, string>;
  /** The values at the JSON paths the rules read, e.g. {"status": "degraded"}. */
  json?: Record<string, unknown>;
  error?: string;
  /** Why the request was not sent: a template had no value, or a header's env var is unset. */
  skipped?: string;
}

/** One condition of a state's rule: what it asks for, what was seen, whether it holds. */
export interface ConditionResult {
  request: string;
  expect: string;
  seen: string;
  holds: boolean;
}

/** What a probe saw of one layer (status codes, headers, JSON values) and which state its rules matched. */
export interface LayerObservation {
  reachable: boolean;
  error?: string;
  latencyMs: number | null;
  /** Each request the probe made, e.g. {name: "gateway", status: 200, headers: {"x-ratelimit-status": "degraded"}}. */
  requests: ProbeRequest[];
  /** The first state whose conditions all held, in the order unavailable, degraded, ok; "unknown" when none did. */
  state: LayerStatus;
  /** Each configured state's conditions, evaluated: the evidence behind `state`. */
  rules: Partial<Record<"unavailable" | "degraded" | "ok", ConditionResult[]>>;
  /** One line of what the layer answered. */
  summary: string;
  /** When the probe ran (ISO); null before the first. */
  at: string | null;
  /** The probe's cadence; null: every collector tick. */
  everyMs: number | null;
}

export interface LayerSnapshot {
  id: LayerId;
  status: LayerStatus;
  expected: LayerStatus;
  /** Observed agrees with the contract right now. */
  agrees: boolean;
  /** A disagreement that outlasted the grace period: the layer breaks its contract. */
  violation: boolean;
  /** When the status last changed (ISO). */
  since: string;
  summary: string;
  observed: LayerObservation;
  checks: ContractCheck[];
  /** Redis for the layers as it was when the judged probe ran (a probe with everyMs may be older than this tick). */
  judgedWithRedisUp?: boolean | null;
  /** A probe is out and has waited this long for its answer (set only past ~1 s: the answer shown is older). */
  waitingMs?: number;
}

export interface NodeSnapshot {
  id: string;
  addr: string;
  role: "master" | "replica" | "unknown";
  up: boolean;
  /** Why it is not up, as a sentence naming what to check ("TLS: certificate not trusted (check redis.tls.ca)"). */
  error?: string;
  /** The kind of `error`: a configuration problem (TLS, password, ACL) is not an outage. */
  problem?: ConnectionProblem;
  since: string;
  usedMemory: number;
  maxmemory: number;
  evictedKeys: number;
  expiredKeys: number;
  connectedClients: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** total_commands_processed: a counter (resets when the node restarts). */
  totalCommands: number;
  opsPerSec: number;
  latestForkUsec: number;
  fragmentationRatio: number | null;
  keys: number;
  masterAddr: string | null;
  masterLinkUp: boolean | null;
  replOffset: number;
  aofLastWriteStatus: string;
  rdbLastBgsaveStatus: string;
  aofDelayedFsync: number;
  uptimeSeconds: number;
}

export interface SentinelView {
  id: string;
  addr: string;
  up: boolean;
  error?: string;
  /** The kind of `error`, as on a node. */
  problem?: ConnectionProblem;
  /** This sentinel's own idea of the master. */
  masterAddr: string | null;
  flags: string[];
  configEpoch: number | null;
  otherSentinels: number | null;
  /** The quorum this sentinel is configured with. */
  quorum: number | null;
  quorumOk: boolean | null;
  quorumMessage: string | null;
  /** In TILT mode (INFO sentinel): it watches but will not act. Null when not known. */
  tilt?: boolean | null;
  /** The console's event subscription to this sentinel is connected. */
  eventsLive?: boolean;
}

export interface SentinelSnapshot {
  masterName: string;
  master: { addr: string | null; flags: string[]; configEpoch: number | null };
  quorum: number | null;
  sentinels: (SentinelView & { addr: string; up: boolean })[];
  reachable: number;
  failoverInProgress: boolean;
  /** Sentinels disagree about who is master. */
  splitView: boolean;
  /** No sentinel answers: the master is what the nodes themselves say. */
  blind: boolean;
  /** The deployment has no Sentinel at all (standalone or hand-managed replicas): no automatic failover. */
  none?: boolean;
  /** Sentinels needed to elect a failover leader: a majority of all known sentinels. */
  majority: number;
  /** The failover in progress, folded from the sentinels' events. */
  failover?: FailoverProgress;
  /** Recent failovers, newest first, with measured phases. */
  history?: FailoverRecord[];
  replicas?: ReplicaView[];
}

/**
 * The layers' Redis address as ROLE sees it: `master` is writable, `replica` answers but every
 * write fails with READONLY, `unverified` answers PING but the console may not run ROLE.
 */
export interface LayerAddressView {
  state: "master" | "replica" | "unreachable" | "unverified";
  detail: string;
}

export interface AlertState {
  rule: string;
  severity: "page" | "warn" | "info";
  firing: boolean;
  since: string | null;
  summary: string;
  value: number | null;
  /** The rule does not apply to this deployment (e.g. Sentinel rules without sentinels): neither firing nor silent. */
  notApplicable?: string;
}

export interface Snapshot {
  at: string;
  seq: number;
  deployment: { name: string; source: "devstack" | "external"; readOnly: boolean; chaosRefusal: string | null };
  /** The collector's own health: tick length, how long it took, the server's event-loop lag (p99 over the tick). */
  tick: {
    ms: number;
    durationMs: number;
    eventLoopLagMs?: number;
    /** The look behind this snapshot: its turn on the tick, or one an event asked for at once (a +switch-master, a node down). */
    cause: "schedule" | "event";
    /** When that look began; null before the first. */
    lookStartedAt: string | null;
  };
  /** The configured thresholds the UI marks (the alert rules use the same ones). */
  thresholds: { memoryUsedRatio: number };
  redis: {
    /** Redis as the layers see it: null until the first tick has looked. */
    available: boolean | null;
    availabilityDetail: string;
    /** The layers' Redis address checked with ROLE; absent when the config names no layer address. */
    layerAddress?: LayerAddressView;
    nodes: NodeSnapshot[];
  };
  layers: LayerSnapshot[];
  sentinel: SentinelSnapshot;
  /** A Redis Cluster's shards, slots and failovers; absent on a Sentinel or standalone deployment. */
  cluster?: ClusterSnapshot;
  alerts: AlertState[];
  /** The console's first looks, before every node and layer has answered once (bounded): no alert fires, no incident opens. */
  warmingUp?: boolean;
  /** Whether the console's records (timeline, incidents, failovers, runs) reach the store; absent in scripts. */
  records?: {
    saving: boolean;
    problem: string | null;
    since: string | null;
    dropped: number;
    /** Lists (incidents, timeline, runs) are served from a store the replicas share (PostgreSQL, answering): what another replica records shows here. */
    shared?: boolean;
    /** This replica and the records lease's holder (who writes incidents, timeline and failovers); absent in scripts. */
    lease?: { replica: string; holder: string | null; mine: boolean; heldSince: string | null; problem: string | null };
  };
}
