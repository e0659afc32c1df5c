import { getChaosRunner } from "@/lib/chaos/instance";
import { SCENARIOS } from "@/lib/chaos/scenarios";
import { scorecard } from "@/lib/chaos/scorecard";
import { getCollector } from "@/lib/collector/instance";
import { SCENARIO_IDS } from "@/lib/contract/scenarios";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** The scenarios with their parameters, the guide-claims scorecard, and whether chaos is allowed here. */
export function GET() {
  const runner = getChaosRunner();
  return json({
    scenarios: SCENARIO_IDS.map((id) => SCENARIOS[id]?.info ?? { id, title: id, description: "not available in this build yet", claims: [], params: [], steps: [], unavailable: true }),
    scorecard: scorecard(runner.store.list()),
    activeRunId: runner.activeRun()?.id ?? null,
    chaosRefusal: getCollector().snapshot().deployment.chaosRefusal,
  });
}
