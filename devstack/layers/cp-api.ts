/**
 * CP API stand-in (control-plane / tenant portal): tenant metadata, notifications, settings and
 * webhooks in Redis. Policy: degrade health, fail calls — without Redis /health answers 200
 * "degraded" and every portal call answers 503.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { FAILURE_CONTRACT } from "../../lib/contract/failure-contract";
import { validate } from "../http/http-kit";
import { Misbehaviour } from "./misbehave";
import { execOrThrow, writeHealth } from "./layer-redis";
import { redisOr503, type LayerDefinition, type LayerHandler } from "./layer-server";
import type { LayerClient, RedisAccess } from "./redis-access";
import { tenantId } from "./tenant";

const [CP] = FAILURE_CONTRACT.CP.keyPrefixes;
type RecordKind = "tenant" | "notifications" | "settings" | "webhooks";

const NotificationBody = z.object({ message: z.string().min(1).max(500) });
const SettingsBody = z.object({ settings: z.record(z.string().regex(/^[\w.-]{1,64}$/, "setting names: letters, digits, '.', '_', '-'"), z.string().max(500)) });
const WebhookBody = z.object({ url: z.string().url("url must be a full URL, e.g. https://example.test/hook") });

/** The CP layer definition: every record is a tenant's (`cp:<kind>:<tenant>`, tagged by tenant on a cluster). */
export function cpApi(redis: RedisAccess): LayerDefinition {
  const misbehave = new Misbehaviour("CP");
  /** Runs `fn` on the tenant's record of `kind`. */
  const onRecord = <T>(kind: RecordKind, tenant: string, fn: (r: LayerClient, key: string) => Promise<T>) => {
    const key = redis.key(`${CP}${kind}:`, tenant, { tenant });
    return redis.run(key, (r) => fn(r, key));
  };
  const tenantMetadata = (tenant: string) =>
    onRecord("tenant", tenant, async (r, key) => {
      const existing = await r.hgetall(key);
      if (Object.keys(existing).length) return existing;
      const fresh = { id: tenant, name: `Tenant ${tenant}`, plan: "enterprise", createdAt: new Date().toISOString() };
      await r.hset(key, fresh);
      return fresh;
    });
  const portal = (h: LayerHandler) => redisOr503("portal store (Redis) unavailable; tenant data cannot be read or changed", h);
  const routes: { method: string; pattern: string; handler: LayerHandler }[] = [
    {
      method: "GET",
      pattern: "/health",
      // lie-in-health (the breach): "ok" whatever Redis does, while the portal calls fail.
      handler: async () => {
        const h = await writeHealth(redis);
        if (misbehave.on || h.ok) return { status: 200, body: { status: "ok" } };
        return { status: 200, headers: { "x-redis-error": h.redisErrorClass }, body: { status: "degraded", ...h } };
      },
    },
    { method: "GET", pattern: "/tenants/:id", handler: async ({ params }) => ({ status: 200, body: await tenantMetadata(tenantId(params.id)) }) },
    {
      method: "GET",
      pattern: "/tenants/:id/notifications",
      handler: async ({ params }) => {
        const items = await onRecord("notifications", tenantId(params.id), (r, key) => r.lrange(key, 0, 49));
        return { status: 200, body: { items: items.map((i) => JSON.parse(i)) } };
      },
    },
    {
      method: "POST",
      pattern: "/tenants/:id/notifications",
      handler: async ({ params, body }) => {
        const tenant = tenantId(params.id);
        const item = { id: crypto.randomUUID(), message: validate(NotificationBody, body).message, at: new Date().toISOString() };
        await onRecord("notifications", tenant, (r, key) => execOrThrow(r.multi().lpush(key, JSON.stringify(item)).ltrim(key, 0, 199)));
        return { status: 201, body: item };
      },
    },
    {
      method: "GET",
      pattern: "/tenants/:id/settings",
      handler: async ({ params }) => ({ status: 200, body: { settings: await onRecord("settings", tenantId(params.id), (r, key) => r.hgetall(key)) } }),
    },
    {
      method: "PUT",
      pattern: "/tenants/:id/settings",
      handler: async ({ params, body }) => {
        const tenant = tenantId(params.id);
        const { settings } = validate(SettingsBody, body);
        const stored = await onRecord("settings", tenant, async (r, key) => {
          if (Object.keys(settings).length) await r.hset(key, settings);
          return r.hgetall(key);
        });
        return { status: 200, body: { settings: stored } };
      },
    },
    {
      method: "GET",
      pattern: "/tenants/:id/webhooks",
      handler: async ({ params }) => {
        const hooks = await onRecord("webhooks", tenantId(params.id), (r, key) => r.hgetall(key));
        return { status: 200, body: { webhooks: Object.entries(hooks).map(([id, url]) => ({ id, url })) } };
      },
    },
    {
      method: "POST",
      pattern: "/tenants/:id/webhooks",
      handler: async ({ params, body }) => {
        const { url } = validate(WebhookBody, body);
        const id = crypto.randomUUID();
        await onRecord("webhooks", tenantId(params.id), (r, key) => r.hset(key, id, url));
        return { status: 201, body: { id, url } };
      },
    },
  ];
  return {
    id: "CP",
    routes: routes.map((r) => (r.pattern === "/health" ? r : { ...r, handler: portal(r.handler) })),
    misbehave,
    close: async () => redis.close(),
  };
}
