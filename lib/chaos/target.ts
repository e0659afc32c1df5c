import "server-only";
/**
 * The sandbox a chaos run acts on, as the runner sees it: which scenarios it runs (and why not
 * the others), its control client, what steady state means there, how it is restored and what
 * the post-flight checks besides the snapshot. The Sentinel sandbox is one; the Redis Cluster
 * sandbox (cluster/cluster-target.ts) the other. One runner drives both.
 */
import type { ScenarioId } from "../contract/scenarios";
import type { Snapshot } from "../snapshot/types";
import type { ClusterControlClient as ClusterControl } from "../contract/cluster-control-client";
import { DevstackControl } from "./devstack-control";
import { isUnavailable, type TargetScenario } from "./scenario";
import type { CapabilitiesOf } from "./capabilities";
import { SCENARIOS, SENTINEL_CAPABILITIES } from "./scenarios";
import { steadyStateProblems } from "./steady-state";
import type { ClaimId } from "./types";

/** `C`: the sandbox's control client, handed to each of its scenarios as `ctx.control`. */
export interface SandboxTarget<C, K extends "sentinel" | "cluster" = "sentinel" | "cluster"> {
  kind: K;
  /** Every scenario id, run by this sandbox or refused with the reason a start answers (400): there is no fallback to another target's code. */
  scenarios: Record<ScenarioId, TargetScenario<C>>;
  /** What it can do for a scenario written once, or why not: every capability answered. */
  capabilities: CapabilitiesOf<C>;
  /** The claims its scenarios speak of, so the scorecard shows only these. */
  claims: ClaimId[];
  control: C;
  /** Why chaos is refused right now (the sandbox is not up), or null. */
  refusal(snapshot: Snapshot): string | null;
  steadyProblems(snapshot: Snapshot): string[];
  /** What the pre-flight waits for, in one line. */
  steadyDescription: string;
  /** Undoes every fault; its answer is the restore step's detail. */
  restore(): Promise<string>;
  /** Problems the snapshot cannot show (roles, leftover keys); empty when restored. */
  postflightProblems(): Promise<string[]>;
}

/** Either sandbox, as the runner holds it. */
export type AnySandboxTarget = SandboxTarget<DevstackControl, "sentinel"> | SandboxTarget<ClusterControl, "cluster">;

/** The claims the scenarios a target runs speak of. */
export function claimsOf<C>(scenarios: Record<ScenarioId, TargetScenario<C>>): ClaimId[] {
  return [...new Set(Object.values(scenarios).flatMap((s) => (isUnavailable(s) ? [] : s.info.claims)))];
}

/** The Sentinel sandbox (`npm run stack -- up`): every scenario, through its control API. */
export function sentinelTarget(dir: string): SandboxTarget<DevstackControl, "sentinel"> {
  const control = new DevstackControl(dir);
  return {
    kind: "sentinel",
    scenarios: SCENARIOS,
    capabilities: SENTINEL_CAPABILITIES,
    claims: claimsOf(SCENARIOS),
    control,
    refusal: (s) => s.deployment.chaosRefusal,
    steadyProblems: steadyStateProblems,
    steadyDescription: "one master, a replica in sync, every sentinel and layer ok",
    restore: async () => {
      await control.reset();
      return "every fault undone; topology healthy";
    },
    // The snapshot shows all the Sentinel sandbox's post-flight needs (the reset also removes the filler).
    postflightProblems: async () => [],
  };
}
