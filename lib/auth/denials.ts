import "server-only";
/** Every 401/403 the guard answers goes to the audit trail with its route (never a credential). */
import { audit } from "./audit";
import type { Principal } from "./principal";

export function recordDenial(request: Request, p: Principal, status: 401 | 403, missing: string, deployment: string | null): void {
  const route = `${request.method} ${new URL(request.url).pathname}`;
  void audit(request, p, { action: "denied", deployment, target: route, outcome: `${status} ${missing}` });
}
