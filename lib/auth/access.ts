import "server-only";
/**
 * The one guard every route goes through: who is asking (identify), on which deployment, and
 * whether their grants reach the role the route needs. A 401 says a credential is needed, a 403
 * names what is missing ("operator on staging-eu needed"); both are written to the audit trail.
 */
import { deploymentFor, type WhenAbsent } from "../deployments/resolve";
import type { Deployment } from "../deployments/registry";
import { refuseForeignHost } from "../http/host-allowlist";
import { problem } from "../http/responses";
import { authConfig } from "./auth-settings";
import { crossOrigin } from "./guard";
import { identify } from "./identify";
import type { Principal } from "./principal";
import { allows, describeGrants, missingGrant, type Role } from "./roles";
import { operatorToken } from "./session";
import { recordDenial } from "./denials";

export type Access = { ok: true; principal: Principal } | { ok: false; response: Response };

function denied(request: Request, p: Principal, need: Role, deployment: string | null): Response {
  const missing = missingGrant(need, deployment);
  if (p.kind === "anonymous") {
    const response =
      need !== "viewer" && !operatorToken() && !authConfig().oidc
        ? problem(
            401,
            `operator actions are disabled: OPERATOR_TOKEN is not set (${missing})`,
            "Start the console with OPERATOR_TOKEN=<secret> (npm run demo generates one), or configure auth.oidc.",
          )
        : problem(401, `sign-in required: ${missing}`, "Sign in at /login, or send Authorization: Bearer <token> (a token from the Tokens page).");
    recordDenial(request, p, 401, missing, deployment);
    return response;
  }
  recordDenial(request, p, 403, missing, deployment);
  return problem(403, missing, `${p.actor} has ${describeGrants(p.grants)}.`);
}

/** `need` on `deployment` (null: on the console as a whole), or the 401/403/429 to answer. */
export async function authorize(request: Request, need: Role, deployment: string | null): Promise<Access> {
  const who = await identify(request);
  if (!who.ok) return who;
  if (allows(who.principal.grants, need, deployment)) return who;
  return { ok: false, response: denied(request, who.principal, need, deployment) };
}

export type DeploymentAccess = { ok: true; deployment: Deployment; principal: Principal } | { ok: false; response: Response };

/**
 * A route's deployment (`?deployment=`) and the caller's right to `need` on it. `action`: a
 * state-changing request, which must also come from the console's own pages or a script (CSRF).
 */
export async function accessDeployment(request: Request, need: Role, opts: { absent?: WhenAbsent; action?: boolean } = {}): Promise<DeploymentAccess> {
  const refused = refuseForeignHost(request) ?? (opts.action ? crossOrigin(request) : null);
  if (refused) return { ok: false, response: refused };
  const who = await identify(request);
  if (!who.ok) return who;
  // Nobody signed in learns which deployments exist: the 401 comes before the lookup's 404.
  if (who.principal.kind === "anonymous" && who.principal.grants.length === 0) return { ok: false, response: denied(request, who.principal, need, null) };
  const d = deploymentFor(request, opts.absent);
  if (!d.ok) return d;
  if (!allows(who.principal.grants, need, d.deployment.name)) return { ok: false, response: denied(request, who.principal, need, d.deployment.name) };
  return { ok: true, deployment: d.deployment, principal: who.principal };
}

/** Host, origin and `need` on the console as a whole, for state-changing routes without a deployment (tokens, login codes). */
export async function authorizeAction(request: Request, need: Role): Promise<Access> {
  const refused = refuseForeignHost(request) ?? crossOrigin(request);
  if (refused) return { ok: false, response: refused };
  return authorize(request, need, null);
}

/** Anyone with some grant (a list the caller's grants then filter); 401 for nobody. */
export async function authorizeSome(request: Request): Promise<Access> {
  const who = await identify(request);
  if (!who.ok) return who;
  if (who.principal.grants.length === 0) return { ok: false, response: denied(request, who.principal, "viewer", null) };
  return who;
}

/** `need` on `deployment` for a caller already identified (a route that learns its deployment from the body or a record). */
export function requireRole(request: Request, p: Principal, need: Role, deployment: string | null): Access {
  return allows(p.grants, need, deployment) ? { ok: true, principal: p } : { ok: false, response: denied(request, p, need, deployment) };
}

/**
 * Host, origin (for `action`) and a caller with some grant, before the route looks up what it acts
 * on: nobody signed in learns which deployments or records exist (the 401 comes first).
 */
export async function identifySome(request: Request, need: Role, opts: { action?: boolean } = {}): Promise<Access> {
  const refused = refuseForeignHost(request) ?? (opts.action ? crossOrigin(request) : null);
  if (refused) return { ok: false, response: refused };
  const who = await identify(request);
  if (!who.ok) return who;
  // Nobody signed in holds at most viewer (on loopback without an identity provider).
  const p = who.principal;
  if (p.kind === "anonymous" && (p.grants.length === 0 || need !== "viewer")) return { ok: false, response: denied(request, p, need, null) };
  return who;
}
