import "server-only";
/** GET /api/auth/session's answer: who, how, and the role on each deployment — what the UI hides controls by. */
import { getDeployments } from "../collector/instance";
import { authConfig } from "./auth-settings";
import { readsNeedCredential } from "./exposure";
import type { Principal } from "./principal";
import { allows, roleOn, type Grant, type Role } from "./roles";
import { operatorToken } from "./session";

export interface SessionView {
  signedIn: boolean;
  kind: Principal["kind"];
  actor: string;
  email: string | null;
  grants: Grant[];
  /** Each deployment's role for this caller (null: none). */
  roles: Record<string, Role | null>;
  /** Operator (or admin) on the deployment chaos acts on by default: what older pages and scripts read. */
  operator: boolean;
  admin: boolean;
  defaultDeployment: string;
  /** Where chaos routes act without ?deployment= (the sandbox). */
  chaosDeployment: string;
  /** OPERATOR_TOKEN is set: the token login and one-time codes work. */
  loginEnabled: boolean;
  /** The identity provider's button, when auth.oidc is configured. */
  oidc: { name: string } | null;
  /** Reads need a session or token (the console can be reached from elsewhere). */
  readsNeedCredential: boolean;
}

export function sessionView(p: Principal): SessionView {
  const deployments = getDeployments();
  const roles = Object.fromEntries(deployments.names().map((n) => [n, roleOn(p.grants, n)]));
  const oidc = authConfig().oidc;
  return {
    signedIn: p.kind !== "anonymous",
    kind: p.kind,
    actor: p.actor,
    email: p.email ?? null,
    grants: p.grants,
    roles,
    operator: allows(p.grants, "operator", deployments.chaos.name),
    admin: allows(p.grants, "admin", null),
    defaultDeployment: deployments.default.name,
    chaosDeployment: deployments.chaos.name,
    loginEnabled: operatorToken() !== null,
    oidc: oidc ? { name: oidc.name } : null,
    readsNeedCredential: readsNeedCredential(),
  };
}
