/**
 * CP API stand-in (control-plane / tenant portal): tenant metadata, notifications, settings and
 * webhooks in Redis. Policy: degrade health, fail calls — without Redis /health answers 200
 * "degraded" and every portal call answers 503.
 */
import crypto from "node:crypto";
import type Redis from "ioredis";
import { z } from "zod";
import { FAILURE_CONTRACT } from "../../lib/contract/failure-contract";
import { validate } from "../http/http-kit";
import { Misbehaviour } from "./misbehave";
import type { LayerClientModel } from "./client-models";
import { createLayerRedis, execOrThrow, writeHealth } from "./layer-redis";
import { redisOr503, type LayerDefinition, type LayerHandler } from "./layer-server";
import { tenantId } from "./tenant";
import type { RedisAuth } from "../redis-auth";

const [CP] = FAILURE_CONTRACT.CP.keyPrefixes;
const key = (kind: "tenant" | "notifications" | "settings" | "webhooks", tenant: string) => `${CP}${kind}:${tenant}`;

const NotificationBody = z.object({ message: z.string().min(1).max(500) });
const SettingsBody = z.object({ settings: z.record(z.string().regex(/^[\w.-]{1,64}$/, "setting names: letters, digits, '.', '_', '-'"), z.string().max(500)) });
const WebhookBody = z.object({ url: z.string().url("url must be a full URL, e.g. https://example.test/hook") });

async function tenantMetadata(redis: Redis, tenant: string): Promise<Record<string, string>> {
  const existing = await redis.hgetall(key("tenant", tenant));
  if (Object.keys(existing).length) return existing;
  const fresh = { id: tenant, name: `Tenant ${tenant}`, plan: "enterprise", createdAt: new Date().toISOString() };
  await redis.hset(key("tenant", tenant), fresh);
  return fresh;
}

/** The CP layer definition, its Redis client on the proxy port. */
export function cpApi(proxyPort: number, auth: RedisAuth, model?: LayerClientModel): LayerDefinition {
  const redis = createLayerRedis(proxyPort, auth, "CP", model);
  const misbehave = new Misbehaviour("CP");
  const portal = (h: LayerHandler) => redisOr503("portal store (Redis) unavailable; tenant data cannot be read or changed", h);
  const routes: { method: string; pattern: string; handler: LayerHandler }[] = [
    {
      method: "GET",
      pattern: "/health",
      // lie-in-health (the breach): "ok" whatever Redis does, while the portal calls fail.
      handler: async () => {
        const h = await writeHealth((fn) => fn(redis));
        if (misbehave.on || h.ok) return { status: 200, body: { status: "ok" } };
        return { status: 200, headers: { "x-redis-error": h.redisErrorClass }, body: { status: "degraded", ...h } };
      },
    },
    { method: "GET", pattern: "/tenants/:id", handler: async ({ params }) => ({ status: 200, body: await tenantMetadata(redis, tenantId(params.id)) }) },
    {
      method: "GET",
      pattern: "/tenants/:id/notifications",
      handler: async ({ params }) => {
        const items = await redis.lrange(key("notifications", tenantId(params.id)), 0, 49);
        return { status: 200, body: { items: items.map((i) => JSON.parse(i)) } };
      },
    },
    {
      method: "POST",
      pattern: "/tenants/:id/notifications",
      handler: async ({ params, body }) => {
        const tenant = tenantId(params.id);
        const item = { id: crypto.randomUUID(), message: validate(NotificationBody, body).message, at: new Date().toISOString() };
        await execOrThrow(redis.multi().lpush(key("notifications", tenant), JSON.stringify(item)).ltrim(key("notifications", tenant), 0, 199));
        return { status: 201, body: item };
      },
    },
    {
      method: "GET",
      pattern: "/tenants/:id/settings",
      handler: async ({ params }) => ({ status: 200, body: { settings: await redis.hgetall(key("settings", tenantId(params.id))) } }),
    },
    {
      method: "PUT",
      pattern: "/tenants/:id/settings",
      handler: async ({ params, body }) => {
        const tenant = tenantId(params.id);
        const { settings } = validate(SettingsBody, body);
        if (Object.keys(settings).length) await redis.hset(key("settings", tenant), settings);
        return { status: 200, body: { settings: await redis.hgetall(key("settings", tenant)) } };
      },
    },
    {
      method: "GET",
      pattern: "/tenants/:id/webhooks",
      handler: async ({ params }) => {
        const hooks = await redis.hgetall(key("webhooks", tenantId(params.id)));
        return { status: 200, body: { webhooks: Object.entries(hooks).map(([id, url]) => ({ id, url })) } };
      },
    },
    {
      method: "POST",
      pattern: "/tenants/:id/webhooks",
      handler: async ({ params, body }) => {
        const { url } = validate(WebhookBody, body);
        const id = crypto.randomUUID();
        await redis.hset(key("webhooks", tenantId(params.id)), id, url);
        return { status: 201, body: { id, url } };
      },
    },
  ];
  return {
    id: "CP",
    routes: routes.map((r) => (r.pattern === "/health" ? r : { ...r, handler: portal(r.handler) })),
    misbehave,
    close: async () => redis.disconnect(),
  };
}
