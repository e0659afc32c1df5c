import "server-only";
/**
 * Starts a run on a deployment's chaos target under guardrails: the ones asked for, or the
 * config's defaults (`guardrails`) when none are. Manual runs (POST /api/chaos/runs) and
 * scheduled ones start here, so both are guarded the same way.
 */
import { getChaosRunner } from "@/lib/chaos/instance";
import type { StartResult } from "@/lib/chaos/runner";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import type { ChaosRun } from "@/lib/chaos/types";
import { loadDeployments } from "@/lib/config/load";
import type { Deployment } from "@/lib/deployments/registry";
import type { Guardrail } from "./guardrails";
import { sendVerificationEvent } from "./instance";
import { guardRun } from "./run-guard";
import { audit } from "@/lib/auth/audit";
import { tally, tallyLine } from "@/lib/chaos/verdict";

/** The config's guardrails for manual runs on this deployment (shown on the plan before Confirm). */
export function defaultGuardrails(deployment: string): Guardrail[] {
  try {
    return loadDeployments().find((c) => c.deployment === deployment)?.guardrails ?? [];
  } catch {
    return [];
  }
}

export async function startGuardedRun(
  d: Deployment,
  scenario: string,
  params: Record<string, unknown>,
  origin: ChaosRun["origin"],
  guardrails: Guardrail[] | undefined,
): Promise<StartResult & { guardrails?: Guardrail[] }> {
  const target = externalChaosFor(d) ?? getChaosRunner();
  const result = await target.start(scenario, params, origin);
  if (!result.ok) return result;
  const chosen = guardrails ?? defaultGuardrails(d.name);
  void guardRun({
    runId: result.run.id,
    deployment: d.name,
    scenario,
    guardrails: chosen,
    target: { run: (id) => target.store.get(id), abort: (id, by) => target.abort(id, by), snapshot: () => d.collector.snapshot() },
    notify: sendVerificationEvent,
    onEnd: (run) =>
      audit(null, null, {
        action: "run.finished",
        deployment: d.name,
        target: `${run.id} ${run.scenario}`,
        outcome: `${run.state}: ${tallyLine(tally(run.checks))}${run.abortedBy ? `; stopped by guardrail ${run.abortedBy.guardrail}` : ""}`,
      }),
  });
  return { ...result, guardrails: chosen };
}
