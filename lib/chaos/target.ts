import "server-only";
/**
 * The sandbox a chaos run acts on, as the runner sees it: which scenarios it runs (and why not
 * the others), its control client, what steady state means there, how it is restored and what
 * the post-flight checks besides the snapshot. The Sentinel sandbox is one; the Redis Cluster
 * sandbox (cluster/cluster-target.ts) the other. One runner drives both.
 */
import type { ScenarioId } from "../contract/scenarios";
import type { Snapshot } from "../snapshot/types";
import { DevstackControl } from "./devstack-control";
import type { Scenario } from "./scenario";
import { SCENARIOS } from "./scenarios";
import { steadyStateProblems } from "./steady-state";
import type { ClaimId } from "./types";

export interface SandboxTarget {
  kind: "sentinel" | "cluster";
  /** The scenarios this sandbox runs, by id. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  scenarios: Partial<Record<ScenarioId, Scenario<any, any>>>;
  /** The scenarios it cannot run, with the reason a start answers (400). */
  unavailable: Partial<Record<ScenarioId, string>>;
  /** The claims its scenarios speak of, so the scorecard shows only these. */
  claims: ClaimId[];
  /** Handed to each scenario as `ctx.control`. */
  control: unknown;
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

/** The Sentinel sandbox (`npm run stack -- up`): every scenario, through its control API. */
export function sentinelTarget(dir: string): SandboxTarget {
  const control = new DevstackControl(dir);
  return {
    kind: "sentinel",
    scenarios: SCENARIOS,
    unavailable: {},
    claims: [...new Set(Object.values(SCENARIOS).flatMap((s) => s.info.claims))],
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
