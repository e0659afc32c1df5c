import "server-only";
/**
 * Pages read state on the server (their first paint is the current snapshot), so they pass the
 * same guard as the API: who the request is, from its cookie, and the role its grants give.
 * Without a grant a page sends the browser to sign in; with grants that miss this deployment,
 * to the login page naming what is missing.
 */
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { identify } from "./identify";
import type { Principal } from "./principal";
import { allows, missingGrant, type Role } from "./roles";

/** The principal of the page request being rendered. */
export async function pagePrincipal(): Promise<Principal | null> {
  const h = await headers();
  const who = await identify(new Request(`http://${h.get("host") ?? "127.0.0.1"}/`, { headers: h }));
  return who.ok ? who.principal : null;
}

/** Renders on only with `need` on `deployment` (null: every deployment); else the login page says what is missing. */
export async function requirePageRole(need: Role, deployment: string | null): Promise<Principal> {
  const p = await pagePrincipal();
  if (p && allows(p.grants, need, deployment)) return p;
  const params = new URLSearchParams();
  if (p && p.kind !== "anonymous") params.set("missing", missingGrant(need, deployment));
  redirect(`/login${params.size ? `?${params}` : ""}`);
}
