import "server-only";
/**
 * Named API tokens (issue 27, item 3): minted by an admin, shown once, kept hashed in the store,
 * looked up there on every request so a revoked one stops at once on every replica. A token's
 * role is granted on every deployment or a list, like a person's.
 */
import crypto from "node:crypto";
import { askStore } from "../store/instance";
import type { ApiToken } from "../store/tokens-repo";
import type { Principal } from "./principal";
import type { Grant } from "./roles";

/** Every named token starts so: a leaked one is recognisable in a scan, and never mistaken for OPERATOR_TOKEN. */
export const TOKEN_PREFIX = "rrc_";

export function mintTokenSecret(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
}

export const newTokenId = () => `tok_${crypto.randomBytes(6).toString("hex")}`;

export function tokenGrants(t: Pick<ApiToken, "role" | "deployments">): Grant[] {
  return [{ role: t.role, deployments: t.role === "admin" || !t.deployments ? "*" : t.deployments }];
}

/** The principal a presented named token is, or null (unknown, revoked, expired, or the store cannot say: refused). */
export async function findNamedToken(presented: string): Promise<Principal | null> {
  if (!presented.startsWith(TOKEN_PREFIX) || presented.length > 200) return null;
  const token = await askStore((store) => store.tokens.use(presented));
  if (!token) return null;
  return { kind: "token", actor: `token ${token.name}`, id: token.id, grants: tokenGrants(token), via: "bearer" };
}
