/**
 * The failure contract from the Redis resilience guide, shared by the devstack layer stand-ins
 * and the dashboard's judge. It is the single source of truth for "what must a layer do when
 * Redis fails"; nothing else may restate it.
 */

export const LAYER_IDS = ["L1", "L2", "L3", "CP"] as const;
export type LayerId = (typeof LAYER_IDS)[number];

export const LAYER_STATUSES = ["ok", "degraded", "unavailable", "unknown"] as const;
export type LayerStatus = (typeof LAYER_STATUSES)[number];

export type FailurePolicy = "fail-open" | "degrade" | "fail-hard" | "degrade-health-fail-calls";

export interface LayerContract {
  id: LayerId;
  name: string;
  /** What the layer keeps in Redis, in the guide's words. */
  redisUse: string;
  policy: FailurePolicy;
  /** The health status the layer must report while Redis is unreachable. */
  statusDuringOutage: Exclude<LayerStatus, "ok" | "unknown">;
  /** What the guide promises a client sees during an outage. */
  outageBehaviour: string;
  /** What a degraded or unavailable layer means for tenants, one plain sentence. */
  tenantImpact: string;
  /** Key prefixes the layer owns, so memory and evictions can be attributed. */
  keyPrefixes: string[];
}

export const FAILURE_CONTRACT: Record<LayerId, LayerContract> = {
  L1: {
    id: "L1",
    name: "Edge gateway (APISIX)",
    redisUse: "Rate-limit counters (ZSET sliding window), tenant config lookup",
    policy: "fail-open",
    statusDuringOutage: "degraded",
    outageBehaviour: "200 + X-RateLimit-Status: degraded",
    tenantImpact: "Rate limiting is off: requests pass unthrottled.",
    keyPrefixes: ["l1:rl:", "l1:tenant:"],
  },
  L2: {
    id: "L2",
    name: "AI gateway",
    redisUse: "Response cache, token budgets, semantic cache keys",
    policy: "degrade",
    statusDuringOutage: "degraded",
    outageBehaviour: '200, cache miss, LLM called, budget skipped; health "degraded"',
    tenantImpact: "No response cache and no token budgets: every request hits the LLM and spend is unchecked.",
    keyPrefixes: ["l2:cache:", "l2:budget:", "l2:semantic:"],
  },
  L3: {
    id: "L3",
    name: "Agent gateway",
    redisUse: "Sessions, policies, HITL queue, A2A state",
    policy: "fail-hard",
    statusDuringOutage: "unavailable",
    outageBehaviour: "Session CRUD answers 500/503; health unavailable",
    tenantImpact: "Agent sessions are dead: new and existing sessions fail.",
    keyPrefixes: ["l3:session:", "l3:policy:", "l3:hitl:", "l3:a2a:"],
  },
  CP: {
    id: "CP",
    name: "Control-plane API",
    redisUse: "Tenant metadata, notifications, settings, webhooks",
    policy: "degrade-health-fail-calls",
    statusDuringOutage: "degraded",
    outageBehaviour: 'Health "degraded"; portal API calls fail with 5xx',
    tenantImpact: "The tenant portal is failing: settings, notifications and webhooks cannot be read or changed.",
    keyPrefixes: ["cp:"],
  },
};

/** Key prefix of the devstack's memory filler, so it is never mistaken for a layer's data. */
export const FILLER_PREFIX = "chaos:filler:";
/** Key prefix of the integrity writer's sequenced keys. */
export const INTEGRITY_PREFIX = "chaos:integrity:";

/** Which layer owns a key, by prefix; "other" when none does. */
export function keyClassOf(key: string): LayerId | "filler" | "integrity" | "other" {
  if (key.startsWith(FILLER_PREFIX)) return "filler";
  if (key.startsWith(INTEGRITY_PREFIX)) return "integrity";
  for (const id of LAYER_IDS) {
    if (FAILURE_CONTRACT[id].keyPrefixes.some((p) => key.startsWith(p))) return id;
  }
  return "other";
}
