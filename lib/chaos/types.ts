/** Chaos runs as the API and the UI see them. Client-safe. */
import type { ScenarioId } from "../contract/scenarios";

/** The step every run begins with: a run on a stack that is not in steady state would prove nothing. */
export const PREFLIGHT_STEP = "wait for steady state";

/** `restoring`: the faults are being undone and the post-flight runs; a final state means the target is free. */
export type RunState = "running" | "restoring" | FinalState;
export type FinalState = "passed" | "failed" | "aborted";
export type StepState = "pending" | "running" | "done" | "failed" | "skipped";

/** The guide's claims a run can confirm or refute; the scorecard keeps the latest verdict of each. */
export const CLAIMS = {
  "outage-contract": "During a complete Redis outage each layer behaves as the failure contract says",
  "recovery-2-3s": "Clients recover after a restart: recovery is automatic within 2-3 seconds after Redis comes back",
  "latency-l1-p99": "At 100 ms Redis latency, L1 P99 is ~120 ms+ (exceeding the 50 ms target)",
  "sessions-preserved": "Under memory pressure, session data is preserved (allkeys-lru)",
  "lru-oldest-first": "Under memory pressure, the oldest cache entries are evicted first",
  "rpo-1s": "appendfsync everysec: at most 1 s of acknowledged writes is lost",
  "failover-automatic": "Sentinel fails over automatically and clients recover (clients on an address that follows the master)",
  "failover-pinned-clients":
    "Clients follow a failover with the platform's documented setup (redis-rs ConnectionManager and APISIX on one fixed address, i.e. pinned): not claimed by the guide, measured",
  "crash-no-loss": "A Redis process crash (kill -9) loses no acknowledged write: the AOF is written before the reply",
  "shard-isolation": "On Redis Cluster, a shard that is down fails only the tenants whose keys live there: the other shards' tenants are served",
  "cluster-failover": "Redis Cluster promotes the replica of a failed master by itself, and the layers' cluster clients follow it",
  "connections-exhausted":
    "While Redis refuses new connections (maxclients reached) each layer keeps its failure contract, and is ok again once connections are free",
} as const;
export type ClaimId = keyof typeof CLAIMS;

/**
 * Which of the split recovery claims the guide's platform gets. The guide claims recovery after a
 * restart (its clients reconnect to the same address); following a failover needs an address that
 * follows the master, which its documented setup (`gw-redis` to `redis-master`) does not have.
 */
export const CLAIM_NOTES: Partial<Record<ClaimId, string>> = {
  "recovery-2-3s": "The guide's claim, and the one the platform's documented setup gets: after a restart its clients reconnect to the same address.",
  "failover-automatic": "Measured with the sandbox's following address (addressing follow): not what the platform's documented setup has.",
  "failover-pinned-clients":
    "The platform's documented setup: a fixed address keeps the clients on the old master (READONLY once it is a replica, refused while it is down) until someone changes the address.",
  "shard-isolation": "Not the guide's words: what moving to Redis Cluster (its scale trigger) is expected to bring, measured on the cluster sandbox.",
  "cluster-failover":
    "Not the guide's words: Redis Cluster's own failover, measured on the cluster sandbox (kill -9 of a shard's master, or CLUSTER FAILOVER).",
  "connections-exhausted":
    "Not the guide's words: Steadybit's Redis connection-exhaustion attack. APISIX's per-request connections need new ones; redis-rs' one multiplexed connection does not.",
};

/** What a check found: the expectation held, was refuted, or the thing it tests did not happen. */
export type CheckVerdict = "held" | "refuted" | "not-exercised";

export interface RunCheck {
  expect: string;
  observed: string;
  verdict: CheckVerdict;
  /** Why the check was not exercised (only then). */
  reason?: string;
  /** DESIGN.md's contract: `verdict === "held"`. A check that was not exercised is not ok. */
  ok: boolean;
  claim?: ClaimId;
  layer?: string;
  /** On a cluster: the shard the check speaks of ("shard-2"), or "other shards". */
  shard?: string;
}

export interface RunStep {
  name: string;
  state: StepState;
  startedAt: string | null;
  endedAt: string | null;
  detail?: string;
}

export interface ChaosRun {
  id: string;
  scenario: ScenarioId;
  params: Record<string, unknown>;
  state: RunState;
  startedAt: string;
  /** When the run began undoing its faults (entered `restoring`); absent before that. */
  restoringAt?: string;
  endedAt: string | null;
  /** Who started it: the console's buttons or the headless suite. */
  origin: "console" | "cli" | "api" | "schedule";
  steps: RunStep[];
  checks: RunCheck[];
  metrics: Record<string, number | string | null>;
  error?: string;
  postflight: { healthy: boolean; problems: string[] } | null;
  /** A run a guardrail stopped: which one, since when it held, when it stopped the run, what it saw. Not a refuted claim. */
  abortedBy?: GuardrailAbort;
}

export interface GuardrailAbort {
  guardrail: string;
  since: string;
  at: string;
  saw: string;
}

export interface ScenarioParamInfo {
  name: string;
  type: "number" | "enum";
  default: number | string;
  options?: string[];
  min?: number;
  max?: number;
  unit?: string;
  help: string;
}

export interface ScenarioInfo {
  id: ScenarioId;
  title: string;
  description: string;
  claims: ClaimId[];
  params: ScenarioParamInfo[];
  /** Planned step names, shown before the run starts. */
  steps: string[];
}

export interface ScorecardEntry {
  claim: ClaimId;
  text: string;
  /** The latest finished run's verdict on the claim; "untested" when no run ever spoke of it. */
  verdict: CheckVerdict | "untested";
  runId: string | null;
  measuredAt: string | null;
  observed: string | null;
  /** Why the latest run did not exercise the claim. */
  reason: string | null;
  /** Which setup the claim speaks of (CLAIM_NOTES), when it matters. */
  note?: string;
}
