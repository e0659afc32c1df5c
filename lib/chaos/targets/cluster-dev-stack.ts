import "server-only";
/**
 * What the dev-stack run engine (external-run.ts) asks of a Redis Cluster dev stack, in one
 * place: its options from the config, per scenario whether it can run and why not, its params,
 * its plan, its steady state and its drivers. The run itself (states, steps, journal, restore,
 * abort, timeline) is the engine's, the same as for a Sentinel dev stack.
 */
import { resolveChaosAuth } from "../../config/load";
import type { ConsoleConfig } from "../../config/schema";
import type { Snapshot } from "../../snapshot/types";
import { clusterSteadyProblems } from "../cluster/cluster-steady";
import { FaultJournal } from "../journal";
import { SCENARIO_NEEDS, scenarioAvailability, type CapabilityAnswer } from "./capabilities";
import { CLUSTER_DEV_PARAMS, CLUSTER_DEV_SCENARIOS, type ClusterDevScenario } from "./cluster-params";
import { clusterPlan } from "./cluster-scenarios";
import { ClusterDevTarget, CLUSTER_LACKS, type ClusterTargetOptions } from "./external-cluster";

export const isClusterDevStack = (c: ConsoleConfig) => !!c.redis.cluster;

export function clusterOptions(config: ConsoleConfig): ClusterTargetOptions | null {
  const auth = resolveChaosAuth(config);
  if (!auth || !config.redis.cluster) return null;
  return { deployment: config.deployment, seeds: config.redis.cluster.seeds, auth, timeoutMs: Math.max(1000, config.timeouts.redisMs) };
}

/** The capability a scenario lacks here and why, for the 400 of a scenario this target does not drive. */
function lacking(scenario: string): string | null {
  for (const need of SCENARIO_NEEDS[scenario] ?? []) if (CLUSTER_LACKS[need]) return `it lacks ${need}: ${CLUSTER_LACKS[need]}`;
  return null;
}

export function parseClusterScenario(
  deployment: string,
  scenario: string,
  raw: unknown,
): { ok: true; scenario: ClusterDevScenario; params: Record<string, unknown> } | { ok: false; status: 400; error: string } {
  const can = `it can run ${CLUSTER_DEV_SCENARIOS.join(", ")}`;
  if (!(CLUSTER_DEV_SCENARIOS as string[]).includes(scenario)) {
    const why = lacking(scenario);
    return {
      ok: false,
      status: 400,
      error: `scenario "${scenario.slice(0, 64)}" cannot run on the Redis Cluster dev stack "${deployment}": ${why ? `${why}; ` : ""}${can}`,
    };
  }
  const p = CLUSTER_DEV_PARAMS[scenario as ClusterDevScenario].safeParse(raw ?? {});
  if (!p.success)
    return {
      ok: false,
      status: 400,
      error: `invalid params for ${scenario} on a Redis Cluster dev stack: ${p.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`,
    };
  return { ok: true, scenario: scenario as ClusterDevScenario, params: p.data as Record<string, unknown> };
}

/** Per scenario, whether it can run here: from the capabilities, and the scenarios this target drives. */
export async function clusterAvailability(opts: ClusterTargetOptions, dir: string, scenarios: readonly string[]) {
  const target = await ClusterDevTarget.open(opts, new FaultJournal(dir, opts.deployment, "probe"));
  const answers: CapabilityAnswer[] = target.capabilities();
  return scenarios.map((scenario) => {
    const a = scenarioAvailability(answers, scenario);
    if (a.available && !(CLUSTER_DEV_SCENARIOS as string[]).includes(scenario))
      return { scenario, available: false, reason: `not driven on a Redis Cluster dev stack: it can run ${CLUSTER_DEV_SCENARIOS.join(", ")}` };
    return { scenario, ...a, ...(a.available ? {} : { lacks: true }) };
  });
}

export async function askClusterPlan(
  opts: ClusterTargetOptions,
  dir: string,
  scenario: ClusterDevScenario,
  params: Record<string, unknown>,
  lockTtlMs: number,
) {
  const target = await ClusterDevTarget.open(opts, new FaultJournal(dir, opts.deployment, "plan"));
  return clusterPlan(scenario, params, target.topology, opts.deployment, lockTtlMs);
}

/** Steady as the cluster sandbox's, for the shards there are; a shard without a replica is a dev stack's right (failover then says it cannot). */
export function clusterDevSteadyProblems(s: Snapshot): string[] {
  return clusterSteadyProblems(s, s.cluster?.shards.length || 1).filter((p) => !/ has no replica$/.test(p));
}
