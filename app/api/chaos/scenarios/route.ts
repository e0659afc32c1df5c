import { getChaosRunner } from "@/lib/chaos/instance";
import { SCENARIOS } from "@/lib/chaos/scenarios";
import { scorecard } from "@/lib/chaos/scorecard";
import { SCENARIO_IDS } from "@/lib/contract/scenarios";
import { deploymentFor } from "@/lib/deployments/resolve";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** The scenarios with their parameters, the guide-claims scorecard, and whether chaos is allowed on this deployment. */
export function GET(request: Request) {
  const d = deploymentFor(request, "chaos");
  if (!d.ok) return d.response;
  const runner = getChaosRunner();
  return json({
    scenarios: SCENARIO_IDS.map((id) => SCENARIOS[id].info),
    scorecard: scorecard(runner.store.list()),
    activeRunId: runner.activeRun()?.id ?? null,
    chaosRefusal: d.deployment.collector.snapshot().deployment.chaosRefusal,
  });
}
