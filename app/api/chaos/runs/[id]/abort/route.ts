import { accessDeployment } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { getChaosRunner } from "@/lib/chaos/instance";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { json, problem } from "@/lib/http/responses";
import { RunId } from "@/lib/chaos/run-id";

export const dynamic = "force-dynamic";

/** Halts the run; its faults are undone at once and the stack is restored in the background. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  // Runs are the sandbox's and found by id; the parameter is still checked, as on every route.
  const d = await accessDeployment(request, "operator", { absent: "chaos", action: true });
  if (!d.ok) return d.response;
  const { id } = await params;
  if (!RunId.safeParse(id).success) return problem(400, `"${id.slice(0, 80)}" is not a run id`);
  const result = await (externalChaosFor(d.deployment) ?? getChaosRunner()).abort(id);
  await audit(request, d.principal, {
    action: "run.aborted",
    deployment: d.deployment.name,
    target: id,
    outcome: result.ok ? "ok" : `${result.status} ${result.error}`,
  });
  return result.ok ? json({ id, state: "aborting" }, 202) : problem(result.status, result.error ?? "cannot abort");
}
