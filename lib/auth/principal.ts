/**
 * Who is asking: a person signed in through the OIDC provider, the break-glass operator
 * (OPERATOR_TOKEN, or a session it opened), a named API token, a viewer link, the console itself
 * (its config watcher), or nobody. Pure types and the one line each says about itself in answers and the audit trail.
 */
import type { Grant } from "./roles";

export type PrincipalKind = "person" | "break-glass" | "token" | "viewer-link" | "system" | "anonymous";

export interface Principal {
  kind: PrincipalKind;
  /** The audit trail's actor: "alice@example.com (sub 1234)", "token deploy-bot", "viewer link vl_…", "OPERATOR_TOKEN", "anonymous". */
  actor: string;
  subject?: string;
  email?: string;
  name?: string;
  /** A named token's or a viewer link's id (never the secret). */
  id?: string;
  grants: Grant[];
  /** How it came: a bearer header, a session cookie, the viewer gateway, or nothing. */
  via: "bearer" | "session" | "gateway" | "none";
}

export const ANONYMOUS_ACTOR = "anonymous";

export function personActor(p: { subject: string; email?: string; name?: string }): string {
  return p.email ? `${p.email} (sub ${p.subject})` : `${p.name ?? "user"} (sub ${p.subject})`;
}
