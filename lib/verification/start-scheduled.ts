import "server-only";
/**
 * Starts a schedule's run through the same path as `POST /api/chaos/runs`: the deployment's chaos
 * target (the sandbox or an opted-in dev stack), which checks the scenario, its params, steady
 * state and that no other run is going. Its refusal is the reason a slot did not start.
 */
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { getDeployments } from "@/lib/collector/instance";
import { recordsStatus } from "@/lib/store/instance";
import { audit } from "@/lib/auth/audit";
import { startGuardedRun } from "./guarded-start";
import type { Schedule } from "./schedule";

export type ScheduledStart = { ok: true; runId: string } | { ok: false; reason: string };

export async function startScheduledRun(schedule: Schedule): Promise<ScheduledStart> {
  const deployment = getDeployments().find(schedule.deployment);
  if (!deployment) return { ok: false, reason: `deployment "${schedule.deployment}" is no longer configured` };
  const external = externalChaosFor(deployment);
  if (!deployment.chaos && !external) return { ok: false, reason: `"${schedule.deployment}" is neither the sandbox nor a dev stack opted in to chaos` };
  const records = recordsStatus();
  if (!records.saving) return { ok: false, reason: `the store takes no records: ${records.problem}` };
  // A schedule's own guardrails, or the config's defaults when it names none.
  const result = await startGuardedRun(deployment, schedule.scenario, schedule.params, "schedule", schedule.guardrails);
  // The audit trail's actor is the schedule, and who made it.
  await audit(
    null,
    { kind: "token", actor: `schedule:${schedule.name} (created by ${schedule.createdBy})`, grants: [], via: "none" },
    {
      action: "run.started",
      deployment: schedule.deployment,
      target: result.ok ? `${result.run.id} ${schedule.scenario}` : schedule.scenario,
      outcome: result.ok ? "ok" : result.error,
    },
  );
  return result.ok ? { ok: true, runId: result.run.id } : { ok: false, reason: result.error };
}
