import "server-only";
/**
 * People signed in through the OIDC provider: their server-side session (the store's; the
 * cookie holds a random id), the roles their groups map to, read again from the provider at
 * least every auth.oidc.refreshMinutes (15 at most) with the refresh token, so a person removed
 * from a group loses the role within that time. A provider that cannot be asked then ends the
 * roles, not the console: the person is asked to sign in again.
 */
import * as oidc from "openid-client";
import { askStore, saveNow } from "../store/instance";
import type { SessionPerson } from "../store/auth-repo";
import { authConfig } from "./auth-settings";
import { describe, oidcSettings, providerConfig } from "./oidc-provider";
import { personActor, type Principal } from "./principal";
import { grantsForGroups } from "./roles";

/** The person an ID token's (or userinfo's) claims describe, with the grants their groups give. */
export function personFromClaims(claims: Record<string, unknown>): SessionPerson {
  const c = oidcSettings();
  const raw = claims[c.groupsClaim];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === "string") : typeof raw === "string" ? [raw] : [];
  const { roles, defaultRole } = authConfig();
  return {
    subject: String(claims.sub),
    email: typeof claims.email === "string" ? claims.email : undefined,
    name: typeof claims.name === "string" ? claims.name : typeof claims.preferred_username === "string" ? claims.preferred_username : undefined,
    groups,
    grants: grantsForGroups(groups, roles, defaultRole),
  };
}

/** Claims from a token answer: the ID token's, and userinfo's when the ID token carries no groups. */
export async function claimsOf(
  config: oidc.Configuration,
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
): Promise<Record<string, unknown>> {
  const claims = (tokens.claims() ?? {}) as Record<string, unknown>;
  if (claims[oidcSettings().groupsClaim] !== undefined || !tokens.access_token || !claims.sub) return claims;
  const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
  return { ...info, ...claims, [oidcSettings().groupsClaim]: info[oidcSettings().groupsClaim] };
}

function principalOf(person: SessionPerson): Principal {
  return { kind: "person", actor: personActor(person), subject: person.subject, email: person.email, name: person.name, grants: person.grants, via: "session" };
}

const inFlight = new Map<string, Promise<SessionPerson | null>>();

/** The session's person, their roles read again from the provider when they are older than refreshMinutes; null: no such session. */
export async function personSessionPrincipal(id: string): Promise<Principal | null> {
  const stored = await askStore((store) => store.auth.getSession(id));
  if (!stored || stored.kind !== "oidc" || !stored.person) return null;
  const c = authConfig().oidc;
  if (!c) return null; // sign-in through the provider was switched off: its sessions no longer count
  const checkedAt = stored.checkedAt ?? 0;
  if (Date.now() - checkedAt < c.refreshMinutes * 60_000) return principalOf(stored.person);
  let recheck = inFlight.get(id);
  if (!recheck) {
    recheck = recheckPerson(id, checkedAt, stored.person).finally(() => inFlight.delete(id));
    inFlight.set(id, recheck);
  }
  const person = await recheck;
  return person ? principalOf(person) : null;
}

/** Asks the provider again (one replica at a time per session); null ends the session's roles. */
async function recheckPerson(id: string, checkedAt: number, current: SessionPerson): Promise<SessionPerson | null> {
  const claimed = await askStore((store) => store.auth.claimRecheck(id, checkedAt));
  if (!claimed) return current; // another request or replica is asking right now
  const tokens = await askStore((store) => store.auth.personTokens(id));
  if (!tokens?.refreshToken) return endRoles(id, "no refresh token: the provider gave none (ask for the offline_access scope)");
  try {
    const config = await providerConfig();
    const answer = await oidc.refreshTokenGrant(config, tokens.refreshToken);
    const claims = await claimsOf(config, answer);
    const person = claims.sub ? { ...personFromClaims(claims), subject: current.subject } : { ...current };
    await saveNow((store) => store.auth.updatePerson(id, person, { refreshToken: answer.refresh_token ?? null, idToken: answer.id_token ?? null }));
    return person;
  } catch (err) {
    return endRoles(id, describe(err));
  }
}

async function endRoles(id: string, why: string): Promise<null> {
  console.warn(`[auth] a session's roles could not be read again from the identity provider (${why}): it is ended`);
  await saveNow((store) => store.auth.revokeSession(id));
  return null;
}

/** Where to send the browser to end the session at the provider too (null: it has no end_session_endpoint). */
export async function endSessionUrl(id: string, postLogout: string): Promise<string | null> {
  const tokens = await askStore((store) => store.auth.personTokens(id));
  if (!tokens) return null;
  try {
    const config = await providerConfig();
    if (!config.serverMetadata().end_session_endpoint) return null;
    // client_id, not id_token_hint: no token of the person's goes to the browser, even in a URL.
    return oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: postLogout, client_id: oidcSettings().clientId }).href;
  } catch {
    return null;
  }
}
