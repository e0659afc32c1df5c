import "server-only";
/**
 * What goes to the audit trail, from a request: time, actor, role, deployment, action, target,
 * outcome, client address and request id. Never a credential: the actor is a name (a person's
 * email and subject, a token's name, a viewer link's id), the target an id. Written through the
 * store's ordered writer (kept and written later while the store is down).
 */
import crypto from "node:crypto";
import { saveNow } from "../store/instance";
import type { AuditEntry } from "../store/audit-repo";
import type { Principal } from "./principal";
import { roleOn } from "./roles";
import { limiterClient } from "./session";

export interface AuditEvent {
  action: string;
  deployment?: string | null;
  target?: string | null;
  outcome: string;
  /** The client, when the entry is about one other than the request's (a count of denials held back). */
  client?: string;
}

/** The client as the limiter sees it (the trusted proxy's entry), else the direct peer's kind. */
export function clientOf(request: Request | null): string {
  if (!request) return "console";
  const key = limiterClient(request);
  return key === "direct" ? "local" : key;
}

export function requestIdOf(request: Request | null): string {
  const given = request?.headers.get("x-request-id");
  return given && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
}

export async function audit(request: Request | null, p: Principal | null, e: AuditEvent): Promise<void> {
  const deployment = e.deployment ?? null;
  const entry: AuditEntry = {
    at: new Date().toISOString(),
    actor: p?.actor ?? "console",
    role: p
      ? deployment
        ? roleOn(p.grants, deployment)
        : (p.grants
            .map((g) => g.role)
            .sort()
            .at(0) ?? null)
      : null,
    deployment,
    action: e.action,
    target: e.target ?? null,
    outcome: e.outcome,
    client: e.client ?? clientOf(request),
    requestId: requestIdOf(request),
  };
  await saveNow((store) => store.audit.append(entry).then(() => {}));
}
