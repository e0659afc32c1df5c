import { z } from "zod";
import { guardOperatorAction, readJsonBody } from "@/lib/auth/guard";
import { getChaosRunner } from "@/lib/chaos/instance";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { deploymentFor } from "@/lib/deployments/resolve";
import { badRequest, json, problem } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const Body = z.strictObject({
  scenario: z.string({ message: 'scenario is required, e.g. "outage"' }).min(1).max(64),
  params: z.record(z.string(), z.unknown(), { message: "params must be an object" }).optional(),
  origin: z.enum(["console", "cli", "api"]).optional(),
});

/** Recent runs, newest first; only the sandbox deployment has any. */
export function GET(request: Request) {
  const d = deploymentFor(request, "chaos");
  if (!d.ok) return d.response;
  const external = externalChaosFor(d.deployment);
  return json({ runs: external ? external.store.list().slice(0, 50) : d.deployment.chaos ? getChaosRunner().store.list().slice(0, 50) : [] });
}

/** Starts a run: 202 {id}; 401 no operator, 400 bad body, 403 not the sandbox, 409 busy or not steady. */
export async function POST(request: Request) {
  const denied = guardOperatorAction(request);
  if (denied) return denied;
  const d = deploymentFor(request, "chaos");
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
  const result = await (external ?? getChaosRunner()).start(parsed.data.scenario, parsed.data.params ?? {}, parsed.data.origin ?? "api");
  if (!result.ok) return json({ error: result.error, ...(result.problems ? { problems: result.problems } : {}) }, result.status);
  return json({ id: result.run.id, state: result.run.state }, 202, { Location: `/api/chaos/runs/${result.run.id}` });
}
