import { getChaosRunner } from "@/lib/chaos/instance";
import { getDeployments } from "@/lib/collector/instance";
import { SCENARIOS } from "@/lib/chaos/scenarios";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { EXTERNAL_PARAMS } from "@/lib/chaos/targets/external-params";
import { CLUSTER_DEV_PARAMS } from "@/lib/chaos/targets/cluster-params";
import { paramsInfo } from "@/lib/chaos/param-info";
import { SCENARIO_IDS } from "@/lib/contract/scenarios";
import { accessDeployment } from "@/lib/auth/access";
import { json } from "@/lib/http/responses";
import { claimsPolicy } from "@/lib/verification/claims-context";
import { sharedActiveRun, sharedRuns } from "@/lib/store/shared-lists";
import { defaultGuardrails } from "@/lib/verification/guarded-start";
import { agedScorecard } from "@/lib/verification/claims-standing";
import { CLAIMS, type ClaimId } from "@/lib/chaos/types";

export const dynamic = "force-dynamic";

/**
 * The scenarios with their parameters, the guide-claims scorecard, whether chaos is allowed on
 * this deployment, and per scenario whether this target can run it and why not (`availability`).
 */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer", { absent: "chaos" });
  if (!d.ok) return d.response;
  const external = externalChaosFor(d.deployment);
  // Every replica's runs (the store, when shared): a run started on another replica counts, and shows as active.
  const runsOf = external ? d.deployment.name : getDeployments().chaos.name;
  const { runs } = await sharedRuns(runsOf, (external ?? getChaosRunner()).store);
  if (external)
    return json({
      // On an external target the parameters are the ones it can honour (an outage is a pause; on a cluster, of one shard).
      scenarios: SCENARIO_IDS.map((id) => {
        const params: Record<string, Parameters<typeof paramsInfo>[0]> = d.deployment.collector.settings.redis.cluster ? CLUSTER_DEV_PARAMS : EXTERNAL_PARAMS;
        return id in params ? { ...SCENARIOS[id].info, params: paramsInfo(params[id]) } : SCENARIOS[id].info;
      }),
      scorecard: agedScorecard(runs, Object.keys(CLAIMS) as ClaimId[], new Date(), claimsPolicy(d.deployment.name)),
      activeRunId: (await sharedActiveRun(runsOf, external.activeRun()))?.id ?? null,
      chaosRefusal: null,
      target: "external",
      guardrails: defaultGuardrails(d.deployment.name),
      availability: await external.availability(),
      recovery: await external.recovery.status(),
    });
  const runner = getChaosRunner();
  // The sandbox's own scenarios: on the cluster sandbox a shard to act on, and the ones it cannot run said so.
  return json({
    scenarios: runner.scenarioInfos(),
    scorecard: agedScorecard(runs, runner.claims(), new Date(), claimsPolicy(d.deployment.name)),
    activeRunId: (await sharedActiveRun(runsOf, runner.activeRun()))?.id ?? null,
    // The runner speaks for the sandbox; any other deployment named here is refused for its own reason (read-only).
    chaosRefusal: d.deployment.chaos
      ? runner.refusal()
      : (d.deployment.collector.snapshot().deployment.chaosRefusal ?? `chaos runs only against the sandbox deployment, not "${d.deployment.name}"`),
    target: "sandbox",
    guardrails: defaultGuardrails(d.deployment.name),
    sandbox: runner.sandboxKind(),
    availability: runner.availability(),
  });
}
