/**
 * L1 edge gateway stand-in (APISIX). Every `GET /*` is a gateway request for the tenant in
 * X-Tenant-Id, rate-limited by a sliding window in Redis. Policy: fail open — when Redis
 * errors or times out the request passes with `X-RateLimit-Status: degraded`.
 */
import { FAILURE_CONTRACT } from "../../lib/contract/failure-contract";
import { Misbehaviour } from "./misbehave";
import { errorFields, execOrThrow, writeHealth } from "./layer-redis";
import type { LayerDefinition, LayerReply, LayerRequest } from "./layer-server";
import type { LayerClient, RedisAccess } from "./redis-access";
import { DEFAULT_TENANT_LIMIT, RATE_WINDOW_MS, rateDecision, tenantLimit, windowMember, windowStart } from "./sliding-window";
import { tenantId } from "./tenant";

const [RL_PREFIX, TENANT_PREFIX] = FAILURE_CONTRACT.L1.keyPrefixes;

/** The tenant's window and config keys (one hash tag on a cluster: they travel in one MULTI). */
function tenantKeys(access: RedisAccess, tenant: string): { rlKey: string; configKey: string } {
  return { rlKey: access.key(RL_PREFIX, tenant, { tenant }), configKey: access.key(TENANT_PREFIX, tenant, { tenant }) };
}

/** One round trip: tenant config and the window update travel in the same MULTI. */
async function admit(redis: LayerClient, keys: { rlKey: string; configKey: string }): Promise<{ allowed: boolean; remaining: number; limit: number }> {
  const now = Date.now();
  const { rlKey, configKey } = keys;
  const member = windowMember(now);
  const [rawLimit, , , count] = (await execOrThrow(
    redis.multi().hget(configKey, "limit").zremrangebyscore(rlKey, 0, windowStart(now)).zadd(rlKey, now, member).zcard(rlKey).pexpire(rlKey, RATE_WINDOW_MS),
  )) as [string | null, number, number, number, number];
  if (rawLimit === null) {
    // First sight of this tenant: write its default config. Best effort, off the request path.
    redis.hset(configKey, { limit: DEFAULT_TENANT_LIMIT, windowMs: RATE_WINDOW_MS, createdAt: new Date(now).toISOString() }).catch(() => {});
  }
  const limit = tenantLimit(rawLimit);
  const decision = rateDecision(count, limit);
  // A refused request must not use up the window: take its member back.
  if (!decision.allowed) redis.zrem(rlKey, member).catch(() => {});
  return { ...decision, limit };
}

/** The L1 layer definition; `redis` is APISIX's way to Redis (a keepalive pool, or a cluster's slot cache and pools). */
export function l1Edge(redis: RedisAccess): LayerDefinition {
  const misbehave = new Misbehaviour("L1");
  const gateway = async (req: LayerRequest): Promise<LayerReply> => {
    const tenant = tenantId(req.headers["x-tenant-id"]);
    try {
      const keys = tenantKeys(redis, tenant);
      const { allowed, remaining, limit } = await redis.run(keys.rlKey, (r) => admit(r, keys));
      const headers = { "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": String(remaining), "x-ratelimit-status": "ok" };
      if (!allowed) return { status: 429, headers, body: { error: `tenant ${tenant} is over its limit of ${limit} requests per ${RATE_WINDOW_MS} ms` } };
      return { status: 200, headers, body: { ok: true, tenant, path: req.url.pathname } };
    } catch (err) {
      if (misbehave.on) return { status: 500, body: { error: "rate limiter unavailable: request refused" } }; // fail-closed: the breach
      const { headers, fields } = errorFields(err);
      return {
        status: 200,
        headers: { "x-ratelimit-status": "degraded", ...headers },
        body: { ok: true, tenant, path: req.url.pathname, rateLimit: "skipped", ...fields },
      };
    }
  };
  return {
    id: "L1",
    routes: [
      {
        method: "GET",
        pattern: "/health",
        handler: async () => {
          const h = await writeHealth(redis);
          return h.ok
            ? { status: 200, body: { status: "ok" } }
            : { status: 200, headers: { "x-redis-error": h.redisErrorClass }, body: { status: "degraded", ...h } };
        },
      },
      { method: "GET", pattern: "/*", handler: gateway },
    ],
    misbehave,
    close: async () => redis.close(),
  };
}
