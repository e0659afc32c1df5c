import { getChaosRunner } from "@/lib/chaos/instance";
import { SCENARIOS } from "@/lib/chaos/scenarios";
import { scorecard } from "@/lib/chaos/scorecard";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { EXTERNAL_PARAMS } from "@/lib/chaos/targets/external-params";
import { paramsInfo } from "@/lib/chaos/param-info";
import { SCENARIO_IDS } from "@/lib/contract/scenarios";
import { deploymentFor } from "@/lib/deployments/resolve";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/**
 * The scenarios with their parameters, the guide-claims scorecard, whether chaos is allowed on
 * this deployment, and per scenario whether this target can run it and why not (`availability`).
 */
export async function GET(request: Request) {
  const d = deploymentFor(request, "chaos");
  if (!d.ok) return d.response;
  const external = externalChaosFor(d.deployment);
  const runner = external ?? getChaosRunner();
  const availability = external ? await external.availability() : SCENARIO_IDS.map((scenario) => ({ scenario, available: true, reason: null }));
  return json({
    // On an external target the parameters are the ones it can honour (an outage is a pause).
    scenarios: SCENARIO_IDS.map((id) =>
      external && id in EXTERNAL_PARAMS
        ? { ...SCENARIOS[id].info, params: paramsInfo(EXTERNAL_PARAMS[id as keyof typeof EXTERNAL_PARAMS]) }
        : SCENARIOS[id].info,
    ),
    scorecard: scorecard(runner.store.list()),
    activeRunId: runner.activeRun()?.id ?? null,
    chaosRefusal: external ? null : d.deployment.collector.snapshot().deployment.chaosRefusal,
    target: external ? "external" : "sandbox",
    availability,
  });
}
