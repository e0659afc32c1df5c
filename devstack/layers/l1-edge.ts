/**
 * L1 edge gateway stand-in (APISIX). Every `GET /*` is a gateway request for the tenant in
 * X-Tenant-Id, rate-limited by a sliding window in Redis. Policy: fail open — when Redis
 * errors or times out the request passes with `X-RateLimit-Status: degraded`.
 */
import type Redis from "ioredis";
import { FAILURE_CONTRACT } from "../../lib/contract/failure-contract";
import { Misbehaviour } from "./misbehave";
import { KeepalivePool, type LayerClientModel } from "./client-models";
import { createLayerRedis, errorFields, execOrThrow, writeHealth } from "./layer-redis";
import type { LayerDefinition, LayerReply, LayerRequest } from "./layer-server";
import { DEFAULT_TENANT_LIMIT, RATE_WINDOW_MS, rateDecision, tenantLimit, windowMember, windowStart } from "./sliding-window";
import { tenantId } from "./tenant";
import type { RedisAuth } from "../redis-auth";

const [RL_PREFIX, TENANT_PREFIX] = FAILURE_CONTRACT.L1.keyPrefixes;

/** One round trip: tenant config and the window update travel in the same MULTI. */
async function admit(redis: Redis, tenant: string): Promise<{ allowed: boolean; remaining: number; limit: number }> {
  const now = Date.now();
  const rlKey = `${RL_PREFIX}${tenant}`;
  const member = windowMember(now);
  const [rawLimit, , , count] = (await execOrThrow(
    redis
      .multi()
      .hget(`${TENANT_PREFIX}${tenant}`, "limit")
      .zremrangebyscore(rlKey, 0, windowStart(now))
      .zadd(rlKey, now, member)
      .zcard(rlKey)
      .pexpire(rlKey, RATE_WINDOW_MS),
  )) as [string | null, number, number, number, number];
  if (rawLimit === null) {
    // First sight of this tenant: write its default config. Best effort, off the request path.
    redis.hset(`${TENANT_PREFIX}${tenant}`, { limit: DEFAULT_TENANT_LIMIT, windowMs: RATE_WINDOW_MS, createdAt: new Date(now).toISOString() }).catch(() => {});
  }
  const limit = tenantLimit(rawLimit);
  const decision = rateDecision(count, limit);
  // A refused request must not use up the window: take its member back.
  if (!decision.allowed) redis.zrem(rlKey, member).catch(() => {});
  return { ...decision, limit };
}

/** How L1 reaches Redis: a connection per request from a keepalive pool (APISIX), or one tuned ioredis client. */
function l1Redis(proxyPort: number, auth: RedisAuth, model: LayerClientModel): { run: <T>(fn: (r: Redis) => Promise<T>) => Promise<T>; close: () => void } {
  if (model === "apisix-redisrs") {
    const pool = new KeepalivePool(proxyPort, auth, "devstack-L1");
    return { run: (fn) => pool.run(fn), close: () => pool.close() };
  }
  const client = createLayerRedis(proxyPort, auth, "L1");
  return { run: (fn) => fn(client), close: () => client.disconnect() };
}

/** The L1 layer definition, its Redis client on the proxy port. */
export function l1Edge(proxyPort: number, auth: RedisAuth, model: LayerClientModel = "apisix-redisrs"): LayerDefinition {
  const redis = l1Redis(proxyPort, auth, model);
  const misbehave = new Misbehaviour("L1");
  const gateway = async (req: LayerRequest): Promise<LayerReply> => {
    const tenant = tenantId(req.headers["x-tenant-id"]);
    try {
      const { allowed, remaining, limit } = await redis.run((r) => admit(r, tenant));
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
          const h = await writeHealth(redis.run);
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
