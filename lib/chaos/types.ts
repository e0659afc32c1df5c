/** Chaos runs as the API and the UI see them. Client-safe. */
import type { ScenarioId } from "../contract/scenarios";

/** The step every run begins with: a run on a stack that is not in steady state would prove nothing. */
export const PREFLIGHT_STEP = "wait for steady state";

export type RunState = "running" | "passed" | "failed" | "aborted";
export type StepState = "pending" | "running" | "done" | "failed" | "skipped";

/** The guide's claims a run can confirm or refute; the scorecard keeps the latest verdict of each. */
export const CLAIMS = {
  "outage-contract": "During a complete Redis outage each layer behaves as the failure contract says",
  "recovery-2-3s": "Recovery is automatic within 2-3 seconds after Redis comes back",
  "latency-l1-p99": "At 100 ms Redis latency, L1 P99 is ~120 ms+ (exceeding the 50 ms target)",
  "sessions-preserved": "Under memory pressure, session data is preserved (allkeys-lru)",
  "lru-oldest-first": "Under memory pressure, the oldest cache entries are evicted first",
  "rpo-1s": "appendfsync everysec: at most 1 s of acknowledged writes is lost",
  "failover-automatic": "Sentinel fails over automatically and clients recover",
  "crash-no-loss": "A Redis process crash (kill -9) loses no acknowledged write: the AOF is written before the reply",
} as const;
export type ClaimId = keyof typeof CLAIMS;

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
  endedAt: string | null;
  /** Who started it: the console's buttons or the headless suite. */
  origin: "console" | "cli" | "api";
  steps: RunStep[];
  checks: RunCheck[];
  metrics: Record<string, number | string | null>;
  error?: string;
  postflight: { healthy: boolean; problems: string[] } | null;
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
}
