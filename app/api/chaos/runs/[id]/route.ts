import { RunId } from "@/lib/chaos/run-id";
import { getChaosRunner } from "@/lib/chaos/instance";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { accessDeployment } from "@/lib/auth/access";
import { json, problem } from "@/lib/http/responses";
import { askStore } from "@/lib/store/instance";

export const dynamic = "force-dynamic";

/** One run: {id, scenario, state, steps, checks, metrics, …}. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  // Runs are the sandbox's and found by id; the parameter is still checked, as on every route.
  const d = await accessDeployment(request, "viewer", { absent: "chaos" });
  if (!d.ok) return d.response;
  const { id } = await params;
  if (!RunId.safeParse(id).success) return problem(400, `"${id.slice(0, 80)}" is not a run id`);
  // A sandbox run may be another replica's: read from the store then.
  const external = externalChaosFor(d.deployment);
  const run = await (external ?? getChaosRunner()).find(id);
  if (!run) return problem(404, `no run "${id}"`, "GET /api/chaos/runs lists the recent runs.");
  // Who started it and who asked to abort it, from the audit trail (null when the store cannot say now).
  // `abortedBy` stays the run's own: the guardrail that stopped it (issue 29).
  const actors = await askStore((store) => store.audit.runActors(id));
  return json({ ...run, startedBy: actors?.startedBy ?? null, abortedByActor: actors?.abortedBy ?? null });
}
