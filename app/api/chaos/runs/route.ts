import { z } from "zod";
import { accessDeployment } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { readJsonBody } from "@/lib/auth/guard";
import { recordsStatus } from "@/lib/store/instance";
import { getChaosRunner } from "@/lib/chaos/instance";
import { GuardrailSchema } from "@/lib/config/verification-schema";
import { startGuardedRun } from "@/lib/verification/guarded-start";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { badRequest, json, problem } from "@/lib/http/responses";
import { sharedRuns } from "@/lib/store/shared-lists";

export const dynamic = "force-dynamic";

const Body = z.strictObject({
  scenario: z.string({ message: 'scenario is required, e.g. "outage"' }).min(1).max(64),
  params: z.record(z.string(), z.unknown(), { message: "params must be an object" }).optional(),
  origin: z.enum(["console", "cli", "api"]).optional(),
  /** The run's guardrails; without them, the config's defaults (`guardrails`); [] for none. */
  guardrails: z.array(GuardrailSchema).max(20).optional(),
});

/** Recent runs, newest first, whichever replica ran them (from the store); only deployments chaos acts on have any. */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer", { absent: "chaos" });
  if (!d.ok) return d.response;
  const external = externalChaosFor(d.deployment);
  const memory = external ? external.store : d.deployment.chaos ? getChaosRunner().store : null;
  if (!memory) return json({ runs: [], source: "memory" });
  const { runs, source } = await sharedRuns(d.deployment.name, memory, 50);
  return json({ runs, source });
}

/** Starts a run: 202 {id}; 401 no operator, 400 bad body, 403 not the sandbox, 409 busy or not steady, 503 the store takes no records. */
export async function POST(request: Request) {
  const d = await accessDeployment(request, "operator", { absent: "chaos", action: true });
  if (!d.ok) return d.response;
  // Chaos acts on the sandbox, or on an external deployment opted in with the three keys (checked by its start); any other is refused before anything happens.
  const external = externalChaosFor(d.deployment);
  if (!d.deployment.chaos && !external)
    return problem(
      403,
      d.deployment.collector.snapshot().deployment.chaosRefusal ?? `chaos runs only against the sandbox deployment, not "${d.deployment.name}"`,
    );
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = Body.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, "body");
  // No run without its record: its report, the incident it makes and its journal must be kept.
  const records = recordsStatus();
  if (!records.saving)
    return problem(
      503,
      `chaos runs are refused while the store takes no records: ${records.problem}`,
      "Bring the store back (DATABASE_URL's PostgreSQL, or the data dir's disk); GET /api/ready says when it answers.",
    );
  const result = await startGuardedRun(d.deployment, parsed.data.scenario, parsed.data.params ?? {}, parsed.data.origin ?? "api", parsed.data.guardrails);
  await audit(request, d.principal, {
    action: "run.started",
    deployment: d.deployment.name,
    target: result.ok ? `${result.run.id} ${parsed.data.scenario}` : parsed.data.scenario,
    outcome: result.ok ? "ok" : `${result.status} ${result.error}`,
  });
  if (!result.ok) return json({ error: result.error, ...(result.problems ? { problems: result.problems } : {}) }, result.status);
  return json({ id: result.run.id, state: result.run.state, guardrails: result.guardrails }, 202, { Location: `/api/chaos/runs/${result.run.id}` });
}
