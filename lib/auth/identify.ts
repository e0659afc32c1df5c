import "server-only";
/**
 * Who sent a request, from its credential: a bearer header (OPERATOR_TOKEN or a named API
 * token), the redacting gateway's own mark (a viewer link), a session cookie (the break-glass
 * login or a person signed in through the OIDC provider), or nothing. A correct credential always
 * works; only a wrong bearer token is counted by the limiter (429 while its client guesses).
 */
import { problem } from "../http/responses";
import { gatewayPrincipal } from "./gateway-mark";
import { findNamedToken } from "./named-tokens";
import { personSessionPrincipal } from "./oidc-session";
import { ANONYMOUS_ACTOR, type Principal } from "./principal";
import { readsNeedCredential } from "./exposure";
import { failedCredential, operatorSession, operatorToken, sessionIdFrom, tokenMatches } from "./session";
import { tooManyAttempts } from "./answers";

export type Identity = { ok: true; principal: Principal } | { ok: false; response: Response };

export const BREAK_GLASS: Principal = { kind: "break-glass", actor: "OPERATOR_TOKEN", grants: [{ role: "admin", deployments: "*" }], via: "bearer" };

/** Nobody: a viewer of everything on loopback without an identity provider (the demo), nothing when reachable from elsewhere. */
export function anonymous(): Principal {
  return { kind: "anonymous", actor: ANONYMOUS_ACTOR, grants: readsNeedCredential() ? [] : [{ role: "viewer", deployments: "*" }], via: "none" };
}

export async function identify(request: Request): Promise<Identity> {
  const auth = request.headers.get("authorization");
  if (auth?.startsWith("Bearer ")) {
    const presented = auth.slice(7).trim();
    const token = operatorToken();
    if (token && tokenMatches(presented, token)) return { ok: true, principal: BREAK_GLASS };
    const named = await findNamedToken(presented);
    if (named) return { ok: true, principal: named };
    const limited = failedCredential(request);
    if (limited) return { ok: false, response: tooManyAttempts(limited.retryAfterMs) };
    return {
      ok: false,
      response: problem(401, "wrong or revoked token", "Send Authorization: Bearer <token> with a token from the Tokens page (or OPERATOR_TOKEN)."),
    };
  }
  const viaGateway = gatewayPrincipal(request);
  if (viaGateway) return { ok: true, principal: viaGateway };
  const id = sessionIdFrom(request);
  if (id) {
    if (await operatorSession(id)) return { ok: true, principal: { ...BREAK_GLASS, via: "session" } };
    const person = await personSessionPrincipal(id);
    if (person) return { ok: true, principal: person };
  }
  return { ok: true, principal: anonymous() };
}
