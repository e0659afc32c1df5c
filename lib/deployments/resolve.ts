import "server-only";
/**
 * `?deployment=name` on any route: validated, and answered 404 naming the known deployments
 * when it names none of them. Without it, the default (first) deployment: the API of a
 * single-deployment console is unchanged.
 */
import { z } from "zod";
import { getDeployments } from "../collector/instance";
import { refuseForeignHost } from "../http/host-allowlist";
import { problem } from "../http/responses";
import type { Deployment } from "./registry";

export const DeploymentParam = z.object({
  deployment: z
    .string()
    .min(1, "deployment must not be empty: leave it out for the default deployment")
    .max(100, "deployment names are at most 100 characters")
    .optional(),
});

export type DeploymentLookup = { ok: true; deployment: Deployment } | { ok: false; status: 400 | 404; error: string; hint?: string };

/**
 * Without a name: the default deployment, or for chaos routes and pages (`absent: "chaos"`) the
 * sandbox, the only deployment chaos can act on — so scripts that never heard of deployments keep working.
 */
export type WhenAbsent = "default" | "chaos";

/** The deployment a `deployment` value names (undefined: see WhenAbsent), or why there is none. */
export function lookupDeployment(raw: unknown, absent: WhenAbsent = "default"): DeploymentLookup {
  if (raw === undefined) {
    const all = getDeployments();
    return { ok: true, deployment: absent === "chaos" ? all.chaos : all.default };
  }
  const parsed = DeploymentParam.safeParse({ deployment: raw });
  if (!parsed.success) return { ok: false, status: 400, error: `invalid query: ${parsed.error.issues.map((i) => i.message).join("; ")}` };
  const all = getDeployments();
  const name = parsed.data.deployment;
  if (name === undefined) return { ok: true, deployment: absent === "chaos" ? all.chaos : all.default };
  const found = all.find(name);
  if (found) return { ok: true, deployment: found };
  return {
    ok: false,
    status: 404,
    error: `no deployment "${name.slice(0, 100)}"`,
    hint: `Known deployments: ${all.names().join(", ")} (the default is ${all.default.name}). GET /api/deployments lists them.`,
  };
}

/**
 * The deployment a request's `?deployment=` names, or the 421/400/404 to answer. Every API
 * route starts here, so this is also where a Host outside the allowlist (DNS rebinding) stops.
 */
export function deploymentFor(request: Request, absent: WhenAbsent = "default"): { ok: true; deployment: Deployment } | { ok: false; response: Response } {
  const refused = refuseForeignHost(request);
  if (refused) return { ok: false, response: refused };
  const param = new URL(request.url).searchParams.getAll("deployment");
  if (param.length > 1) return { ok: false, response: problem(400, "invalid query: deployment is given more than once; give it once") };
  const found = lookupDeployment(param[0], absent);
  return found.ok ? found : { ok: false, response: problem(found.status, found.error, found.hint) };
}
