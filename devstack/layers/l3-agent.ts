/**
 * L3 agent gateway stand-in: agent sessions (~1 KB JSON with a TTL), tenant policies, a HITL
 * approval queue and A2A hand-off state, all in Redis. Policy: fail hard — without Redis every
 * call answers 503 and health is "unavailable" (503).
 */
import crypto from "node:crypto";
import type Redis from "ioredis";
import { z } from "zod";
import { FAILURE_CONTRACT } from "../../lib/contract/failure-contract";
import { HttpError, validate } from "../http/http-kit";
import { Misbehaviour } from "./misbehave";
import type { LayerClientModel } from "./client-models";
import { createLayerRedis, execOrThrow, writeHealth } from "./layer-redis";
import { redisOr503, type LayerDefinition, type LayerHandler, type LayerReply } from "./layer-server";
import { tenantId } from "./tenant";
import type { RedisAuth } from "../redis-auth";

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

async function policyOf(redis: Redis, tenant: string): Promise<Record<string, string>> {
  const key = `${POLICY}${tenant}`;
  const policy = await redis.hgetall(key);
  if (Object.keys(policy).length) return policy;
  const fresh = { maxSteps: "20", tools: "search,calendar", hitl: "payments" };
  await redis.hset(key, fresh);
  return fresh;
}

/** The L3 layer definition, its Redis client on the proxy port. */
export function l3Agent(proxyPort: number, auth: RedisAuth, model?: LayerClientModel): LayerDefinition {
  const redis = createLayerRedis(proxyPort, auth, "L3", model);
  const misbehave = new Misbehaviour("L3");
  const create: LayerHandler = async ({ body }) => {
    const input = validate(CreateBody, body);
    const tenant = tenantId(input.tenant);
    const id = crypto.randomUUID();
    const session = newSession(id, tenant, input.agent ?? "assistant", await policyOf(redis, tenant));
    await execOrThrow(
      redis
        .multi()
        .set(`${SESSION}${id}`, JSON.stringify(session), "PX", SESSION_TTL_MS)
        .hset(`${A2A}${id}`, { state: "idle" })
        .pexpire(`${A2A}${id}`, SESSION_TTL_MS),
    );
    return { status: 201, body: { id, tenant, expiresInSeconds: SESSION_TTL_MS / 1000 } };
  };
  const read: LayerHandler = async ({ params }) => {
    const id = sessionId(params.id);
    const [raw, a2a] = (await execOrThrow(redis.multi().get(`${SESSION}${id}`).hgetall(`${A2A}${id}`))) as [string | null, Record<string, string>];
    if (!raw) return { status: 404, body: { error: `session ${id} does not exist or has expired` } };
    return { status: 200, body: { ...JSON.parse(raw), a2a } };
  };
  const remove: LayerHandler = async ({ params }) => {
    const id = sessionId(params.id);
    const [deleted] = (await execOrThrow(redis.multi().del(`${SESSION}${id}`).del(`${A2A}${id}`))) as number[];
    return deleted ? { status: 204 } : { status: 404, body: { error: `session ${id} does not exist or has expired` } };
  };
  const approve: LayerHandler = async ({ params, body }) => {
    const id = sessionId(params.id);
    const { action } = validate(ApprovalBody, body);
    const raw = await redis.get(`${SESSION}${id}`);
    if (!raw) return { status: 404, body: { error: `session ${id} does not exist or has expired` } };
    const { tenant } = JSON.parse(raw) as { tenant: string };
    const item = JSON.stringify({ session: id, action, at: new Date().toISOString() });
    const [length] = (await execOrThrow(redis.multi().rpush(`${HITL}${tenant}`, item).ltrim(`${HITL}${tenant}`, -1000, -1))) as number[];
    return { status: 202, body: { queued: true, position: length } };
  };
  const handoff: LayerHandler = async ({ params, body }) => {
    const id = sessionId(params.id);
    const { peer, message } = validate(HandoffBody, body);
    if (!(await redis.exists(`${SESSION}${id}`))) return { status: 404, body: { error: `session ${id} does not exist or has expired` } };
    await redis.hset(`${A2A}${id}`, { state: "delegated", peer, lastMessage: message ?? "" });
    return { status: 200, body: { session: id, a2a: { state: "delegated", peer } } };
  };
  const queue: LayerHandler = async ({ params }) => {
    const tenant = tenantId(params.tenant);
    const items = await redis.lrange(`${HITL}${tenant}`, 0, 49);
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
    const h = await writeHealth((fn) => fn(redis));
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
    close: async () => redis.disconnect(),
  };
}
