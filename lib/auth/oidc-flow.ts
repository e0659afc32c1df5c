import "server-only";
/**
 * Sign-in through the OIDC provider: authorization code with PKCE (S256), state and nonce. The
 * verifier, state and nonce wait in a short-lived httpOnly cookie scoped to the callback; the
 * provider's tokens go to the store with the session, never to the browser. Every failure —
 * the provider down or slow, a refusal, an expired attempt — lands on the login page, which says it.
 */
import crypto from "node:crypto";
import * as oidc from "openid-client";
import { saveNow } from "../store/instance";
import { audit } from "./audit";
import { personActor } from "./principal";
import { safeNextPath } from "./next-path";
import { describe, oidcSettings, providerConfig, ProviderUnavailable } from "./oidc-provider";
import { claimsOf, personFromClaims } from "./oidc-session";
import { SESSION_SECONDS } from "./session-store";
import { cookieFrom, isHttps, sessionCookie } from "./session";

const FLOW_COOKIE = "rrc_oidc_flow";
const FLOW_SECONDS = 600;
export const CALLBACK_PATH = "/api/auth/oidc/callback";

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  next: string;
}

/** The console's own origin as the browser addressed it (the Host passed the allowlist). */
function publicOrigin(request: Request): string {
  return `${isHttps(request) ? "https" : "http"}://${request.headers.get("host")}`;
}

function flowCookie(request: Request, value: string, maxAge: number): string {
  // Lax: the provider's redirect back is a cross-site navigation, which Strict would strip.
  return `${FLOW_COOKIE}=${value}; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${isHttps(request) ? "; Secure" : ""}`;
}

const toLogin = (message: string, extra: Record<string, string> = {}) =>
  new Response(null, {
    status: 303,
    headers: { Location: `/login?error=${encodeURIComponent(message.slice(0, 300))}`, "Cache-Control": "no-store", ...extra },
  });

/** GET /api/auth/oidc/login: off to the provider, or back to the login page saying why not. */
export async function beginSignIn(request: Request): Promise<Response> {
  let config: oidc.Configuration;
  try {
    config = await providerConfig();
  } catch (err) {
    return toLogin(err instanceof ProviderUnavailable ? err.message : describe(err));
  }
  const flow: Flow = {
    verifier: oidc.randomPKCECodeVerifier(),
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    next: safeNextPath(new URL(request.url).searchParams.get("next"), "/"),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: publicOrigin(request) + CALLBACK_PATH,
    scope: oidcSettings().scopes.join(" "),
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  return new Response(null, {
    status: 303,
    headers: {
      Location: url.href,
      "Set-Cookie": flowCookie(request, Buffer.from(JSON.stringify(flow)).toString("base64url"), FLOW_SECONDS),
      "Cache-Control": "no-store",
    },
  });
}

function readFlow(request: Request): Flow | null {
  const raw = cookieFrom(request, FLOW_COOKIE);
  if (!raw) return null;
  try {
    const f = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Flow;
    return typeof f.verifier === "string" && typeof f.state === "string" && typeof f.nonce === "string" ? f : null;
  } catch {
    return null;
  }
}

/** GET /api/auth/oidc/callback: the code for tokens, the person's groups for roles, a session for the browser. */
export async function finishSignIn(request: Request): Promise<Response> {
  const clear = { "Set-Cookie": flowCookie(request, "", 0) };
  const here = new URL(request.url);
  const refused = here.searchParams.get("error");
  if (refused) return toLogin(`the identity provider refused the sign-in: ${refused.slice(0, 80)}`, clear);
  const flow = readFlow(request);
  if (!flow) return toLogin("this sign-in attempt expired or was started in another browser: sign in again", clear);
  let person;
  let tokens: { refreshToken: string | null; idToken: string | null };
  try {
    const config = await providerConfig();
    const answer = await oidc.authorizationCodeGrant(config, new URL(CALLBACK_PATH + here.search, publicOrigin(request)), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    person = personFromClaims(await claimsOf(config, answer));
    tokens = { refreshToken: answer.refresh_token ?? null, idToken: answer.id_token ?? null };
  } catch (err) {
    const why = err instanceof ProviderUnavailable ? err.message : describe(err);
    await audit(request, null, { action: "sign-in", outcome: `failed: ${why}` });
    return toLogin(`sign-in failed: ${why}`, clear);
  }
  const id = crypto.randomBytes(32).toString("base64url");
  const now = Date.now();
  await saveNow((store) => store.auth.putPersonSession(id, { person: person!, ...tokens, expiresAt: now + SESSION_SECONDS * 1000, checkedAt: now }));
  await audit(
    request,
    { kind: "person", actor: personActor(person!), grants: person!.grants, via: "session" },
    { action: "sign-in", outcome: `ok: groups ${person!.groups.join(", ") || "none"}` },
  );
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'" });
  headers.append("Set-Cookie", clear["Set-Cookie"]);
  headers.append("Set-Cookie", sessionCookie(request, id, SESSION_SECONDS));
  // A page, not a redirect: the session cookie is SameSite=Strict, and a redirect chain that began
  // at the provider would not carry it; this page's own navigation does.
  const next = safeNextPath(flow.next, "/").replace(/[<>"'&]/g, (c) => `&#${c.charCodeAt(0)};`);
  return new Response(
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${next}"><title>Signed in</title><a href="${next}">Continue</a>`,
    {
      status: 200,
      headers,
    },
  );
}
