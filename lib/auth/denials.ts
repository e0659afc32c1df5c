import "server-only";
/**
 * Every 401/403 the guard answers goes to the audit trail with its route (never a credential).
 * Those of nobody (no or a wrong credential) within a bound per client: past 20 a minute, the rest
 * are counted and written as one entry when the minute ends, so a scanner on an exposed console
 * cannot write a row per request.
 */
import { audit, clientOf } from "./audit";
import { DenialBudget, WINDOW_MS, type SuppressedDenials } from "./denial-budget";
import type { Principal } from "./principal";

export const DENIALS_PER_MINUTE = 20;

// On globalThis: route bundles may each load this module; the budget must be the process's one.
const KEY = Symbol.for("redis-resilience-console.denial-budget");
type Held = { budget: DenialBudget; timer: NodeJS.Timeout | null };
const held: Held = ((globalThis as typeof globalThis & { [KEY]?: Held })[KEY] ??= { budget: new DenialBudget(DENIALS_PER_MINUTE), timer: null });

export function recordDenial(request: Request, p: Principal, status: 401 | 403, missing: string, deployment: string | null): void {
  // Only nobody's denials are bounded: a token's or a person's 403 names who, and is kept whole.
  const { write, closed } = p.kind === "anonymous" ? held.budget.admit(clientOf(request), Date.now()) : { write: true, closed: [] };
  reportHeldBack(closed);
  if (!write) {
    // Counted: make sure the count is written when its minute ends, even if the client stops.
    scheduleReport();
    return;
  }
  const route = `${request.method} ${new URL(request.url).pathname}`;
  void audit(request, p, { action: "denied", deployment, target: route, outcome: `${status} ${missing}` });
}

function scheduleReport(): void {
  if (held.timer) return;
  held.timer = setTimeout(() => {
    held.timer = null;
    reportHeldBack(held.budget.close(Date.now()));
    if (held.budget.holdsBack()) scheduleReport();
  }, WINDOW_MS / 4);
  held.timer.unref();
}

function reportHeldBack(closed: SuppressedDenials[]): void {
  for (const c of closed)
    void audit(null, null, {
      action: "denied",
      client: c.client,
      target: null,
      outcome: `${c.count} more denials of anonymous requests from this client between ${new Date(c.from).toISOString()} and ${new Date(c.to).toISOString()}, counted, not written one by one (at most ${DENIALS_PER_MINUTE} a minute per client)`,
    });
}
