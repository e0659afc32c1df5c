/**
 * L3 agent gateway stand-in: agent sessions (~1 KB JSON with a TTL), tenant policies, a HITL
 * approval queue and A2A hand-off state, all in Redis. Policy: fail hard — without Redis every
 * call answers 503 and health is "unavailable" (503).
 */
import crypto from "node:crypto";
import { z } from "zod";
import { FAILURE_CONTRACT } from "../../lib/contract/failure-contract";
import { HttpError, validate } from "../http/http-kit";
import { Misbehaviour } from "./misbehave";
import { execOrThrow, writeHealth } from "./layer-redis";
import { redisOr503, type LayerDefinition, type LayerHandler, type LayerReply } from "./layer-server";
import type { RedisAccess } from "./redis-access";
import { tenantId } from "./tenant";

const [SESSION, POLICY, HITL, A2A] = FAILURE_CONTRACT.L3.keyPrefixes;
const SESSION_TTL_MS = 30 * 60_000;
const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

const CreateBody = z.object({ tenant: z.string().optional(), agent: z.string().max(64).optional() });
const ApprovalBody = z.object({ action: z.string().min(1).max(200) });
const HandoffBody = z.object({ peer: z.string().min(1).max(64), message: z.string().max(2000).optional() });

function sessionId(raw: string): string {
  if (!SESSION_ID.test(raw)) throw new HttpError(400, "session id must be 1-64 letters, digits or '-'");
  return raw;
}

/** A session of about 1 KB, the size the guide plans for. */
function newSession(id: string, tenant: string, agent: string, policy: Record<string, string>) {
  const base = { id, tenant, agent, createdAt: new Date().toISOString(), policy, history: [] as string[], scratch: "" };
  base.scratch = ".".repeat(Math.max(0, 1024 - JSON.stringify(base).length));
  return base;
}

async function policyOf(redis: RedisAccess, tenant: string): Promise<Record<string, string>> {
  const key = redis.key(POLICY, tenant, { tenant });
  return redis.run(key, async (r) => {
    const policy = await r.hgetall(key);
    if (Object.keys(policy).length) return policy;
    const fresh = { maxSteps: "20", tools: "search,calendar", hitl: "payments" };
    await r.hset(key, fresh);
    return fresh;
  });
}

/** A session's own keys: the session and its A2A state (one hash tag on a cluster: they travel in one MULTI). */
function sessionKeys(redis: RedisAccess, id: string): { session: string; a2a: string } {
  return { session: redis.key(SESSION, id, { session: id }), a2a: redis.key(A2A, id, { session: id }) };
}

/** The L3 layer definition. */
export function l3Agent(redis: RedisAccess): LayerDefinition {
  const misbehave = new Misbehaviour("L3");
  const hitlKey = (tenant: string) => redis.key(HITL, tenant, { tenant });
  const create: LayerHandler = async ({ body }) => {
    const input = validate(CreateBody, body);
    const tenant = tenantId(input.tenant);
    const id = crypto.randomUUID();
    const session = newSession(id, tenant, input.agent ?? "assistant", await policyOf(redis, tenant));
    const k = sessionKeys(redis, id);
    await redis.run(k.session, (r) =>
      execOrThrow(r.multi().set(k.session, JSON.stringify(session), "PX", SESSION_TTL_MS).hset(k.a2a, { state: "idle" }).pexpire(k.a2a, SESSION_TTL_MS)),
    );
    return { status: 201, body: { id, tenant, expiresInSeconds: SESSION_TTL_MS / 1000 } };
  };
  const read: LayerHandler = async ({ params }) => {
    const id = sessionId(params.id);
    const k = sessionKeys(redis, id);
    const [raw, a2a] = (await redis.run(k.session, (r) => execOrThrow(r.multi().get(k.session).hgetall(k.a2a)))) as [string | null, Record<string, string>];
    if (!raw) return { status: 404, body: { error: `session ${id} does not exist or has expired` } };
    return { status: 200, body: { ...JSON.parse(raw), a2a } };
  };
  const remove: LayerHandler = async ({ params }) => {
    const id = sessionId(params.id);
    const k = sessionKeys(redis, id);
    const [deleted] = (await redis.run(k.session, (r) => execOrThrow(r.multi().del(k.session).del(k.a2a)))) as number[];
    return deleted ? { status: 204 } : { status: 404, body: { error: `session ${id} does not exist or has expired` } };
  };
  const approve: LayerHandler = async ({ params, body }) => {
    const id = sessionId(params.id);
    const { action } = validate(ApprovalBody, body);
    const { session } = sessionKeys(redis, id);
    const raw = await redis.run(session, (r) => r.get(session));
    if (!raw) return { status: 404, body: { error: `session ${id} does not exist or has expired` } };
    const { tenant } = JSON.parse(raw) as { tenant: string };
    const item = JSON.stringify({ session: id, action, at: new Date().toISOString() });
    const queue = hitlKey(tenant);
    const [length] = (await redis.run(queue, (r) => execOrThrow(r.multi().rpush(queue, item).ltrim(queue, -1000, -1)))) as number[];
    return { status: 202, body: { queued: true, position: length } };
  };
  const handoff: LayerHandler = async ({ params, body }) => {
    const id = sessionId(params.id);
    const { peer, message } = validate(HandoffBody, body);
    const k = sessionKeys(redis, id);
    const found = await redis.run(k.session, async (r) => {
      if (!(await r.exists(k.session))) return false;
      await r.hset(k.a2a, { state: "delegated", peer, lastMessage: message ?? "" });
      return true;
    });
    if (!found) return { status: 404, body: { error: `session ${id} does not exist or has expired` } };
    return { status: 200, body: { session: id, a2a: { state: "delegated", peer } } };
  };
  const queue: LayerHandler = async ({ params }) => {
    const tenant = tenantId(params.tenant);
    const queue = hitlKey(tenant);
    const items = await redis.run(queue, (r) => r.lrange(queue, 0, 49));
    return { status: 200, body: { tenant, items: items.map((i) => JSON.parse(i)) } };
  };
  // Fail hard: without Redis there is no way to serve a session.
  const failHard = (h: LayerHandler) => redisOr503("session store (Redis) unavailable; agent sessions cannot be served", h);
  // fail-open (the breach): a Redis error is answered as if all were well, or as "no such session".
  const orPretend =
    (h: LayerHandler, pretend: LayerHandler): LayerHandler =>
    async (req) => {
      try {
        return await h(req);
      } catch (err) {
        if (!misbehave.on || err instanceof HttpError) throw err;
        return pretend(req);
      }
    };
  const unstored: LayerHandler = async ({ body }) => ({
    status: 201,
    body: { id: crypto.randomUUID(), tenant: tenantId(validate(CreateBody, body).tenant), expiresInSeconds: SESSION_TTL_MS / 1000 },
  });
  const notFound: LayerHandler = async ({ params }) => ({ status: 404, body: { error: `session ${sessionId(params.id)} does not exist or has expired` } });
  const health = async (): Promise<LayerReply> => {
    const h = await writeHealth(redis);
    return h.ok
      ? { status: 200, body: { status: "ok" } }
      : { status: 503, headers: { "x-redis-error": h.redisErrorClass }, body: { status: "unavailable", ...h } };
  };
  return {
    id: "L3",
    routes: [
      { method: "GET", pattern: "/health", handler: health },
      { method: "POST", pattern: "/sessions", handler: failHard(orPretend(create, unstored)) },
      { method: "GET", pattern: "/sessions/:id", handler: failHard(orPretend(read, notFound)) },
      { method: "DELETE", pattern: "/sessions/:id", handler: failHard(orPretend(remove, notFound)) },
      { method: "POST", pattern: "/sessions/:id/approvals", handler: failHard(approve) },
      { method: "POST", pattern: "/sessions/:id/handoff", handler: failHard(handoff) },
      { method: "GET", pattern: "/hitl/:tenant", handler: failHard(queue) },
    ],
    misbehave,
    close: async () => redis.close(),
  };
}
