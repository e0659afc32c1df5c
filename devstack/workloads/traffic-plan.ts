/**
 * What steady traffic sends to each layer: the calls a tenant would make, cycled so caches,
 * rate-limit windows and sessions all see use. L3 cycles create → read → delete of a session.
 */
import type { LayerId } from "../../lib/contract/failure-contract";

export interface PlannedRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

const TENANTS = ["t-acme", "t-globex", "t-initech", "t-umbrella", "t-hooli"];
const PROMPTS = Array.from({ length: 20 }, (_, i) => `Summarize ticket #${i + 1} for the on-call engineer`);

/** The n-th request for a layer. `session` is the L3 session created by the last create, if any. */
export function plannedRequest(layer: LayerId, n: number, session: string | null): PlannedRequest {
  const tenant = TENANTS[n % TENANTS.length];
  switch (layer) {
    case "L1":
      return { method: "GET", path: `/api/orders/${n % 100}`, headers: { "x-tenant-id": tenant } };
    case "L2":
      return { method: "POST", path: "/v1/completions", body: { tenant, prompt: PROMPTS[n % PROMPTS.length], maxTokens: 16 } };
    case "L3":
      if (!session || n % 3 === 0) return { method: "POST", path: "/sessions", body: { tenant, agent: "load" } };
      return n % 3 === 1 ? { method: "GET", path: `/sessions/${session}` } : { method: "DELETE", path: `/sessions/${session}` };
    case "CP":
      return n % 4 === 3 ? { method: "GET", path: `/tenants/${tenant}/settings` } : { method: "GET", path: `/tenants/${tenant}` };
  }
}

/** The bucket an outcome is counted under: the HTTP status, or "timeout" / "error" when none came. */
export function outcomeKey(status: number | null, timedOut: boolean): string {
  if (status !== null) return String(status);
  return timedOut ? "timeout" : "error";
}

/** How many requests are due now, given the rate and the time since the last tick (fractions carry over). */
export function dueRequests(carry: number, rps: number, elapsedMs: number): { send: number; carry: number } {
  const total = carry + (rps * elapsedMs) / 1000;
  const send = Math.floor(total);
  return { send, carry: total - send };
}
