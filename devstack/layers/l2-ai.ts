/**
 * L2 AI gateway stand-in. `POST /v1/completions` goes through a response cache, a semantic
 * cache and a per-tenant token budget in Redis, then to a fake LLM. Policy: degrade — when
 * Redis fails the request still answers 200, the cache is bypassed and the budget skipped.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { FAILURE_CONTRACT } from "../../lib/contract/failure-contract";
import { validate } from "../http/http-kit";
import { fakeCompletion, estimateTokens, normalizePrompt } from "./fake-llm";
import { Misbehaviour } from "./misbehave";
import { errorFields, execOrThrow, writeHealth } from "./layer-redis";
import type { LayerDefinition, LayerReply, LayerRequest } from "./layer-server";
import type { RedisAccess } from "./redis-access";
import { tenantId } from "./tenant";

const [CACHE_PREFIX, BUDGET_PREFIX, SEMANTIC_PREFIX] = FAILURE_CONTRACT.L2.keyPrefixes;
const CACHE_TTL_MS = 10 * 60_000;
/** Tokens a tenant may spend per budget window. */
export const TOKEN_BUDGET = 200_000;
const BUDGET_WINDOW_S = 3600;

const CompletionBody = z.object({
  tenant: z.string().optional(),
  prompt: z.string().min(1, "prompt must not be empty").max(8000, "prompt is limited to 8000 characters"),
  maxTokens: z.number().int().min(1).max(100_000).optional(),
});

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

type CacheOutcome = { state: "hit"; text: string; via: "exact" | "semantic" } | { state: "miss" } | { state: "bypass"; error: unknown };

async function lookup(redis: RedisAccess, exactKey: string, semanticKey: string): Promise<CacheOutcome> {
  try {
    // One MGET: on a cluster both keys carry the prompt's tag.
    const [exact, semantic] = await redis.run(exactKey, (r) => r.mget(exactKey, semanticKey));
    if (exact) return { state: "hit", text: exact, via: "exact" };
    if (semantic) return { state: "hit", text: semantic, via: "semantic" };
    return { state: "miss" };
  } catch (error) {
    return { state: "bypass", error };
  }
}

type Budget = "enforced" | "skipped" | "exceeded";

/** Charges the budget; "skipped" (with Redis's error) when Redis cannot say, "exceeded" (refunded) when over. */
async function charge(redis: RedisAccess, tenant: string, tokens: number): Promise<{ budget: Budget; error?: unknown }> {
  const key = redis.key(BUDGET_PREFIX, tenant, { tenant });
  try {
    const [spent] = await redis.run(key, (r) => execOrThrow(r.multi().incrby(key, tokens).expire(key, BUDGET_WINDOW_S, "NX")));
    if ((spent as number) > TOKEN_BUDGET) {
      redis.run(key, (r) => r.decrby(key, tokens)).catch(() => {});
      return { budget: "exceeded" };
    }
    return { budget: "enforced" };
  } catch (error) {
    return { budget: "skipped", error };
  }
}

/** The L2 layer definition; `llmLatencyMs` is the fake LLM's fixed latency. */
export function l2Ai(redis: RedisAccess, llmLatencyMs: number): LayerDefinition {
  const misbehave = new Misbehaviour("L2");
  const complete = async (req: LayerRequest): Promise<LayerReply> => {
    const input = validate(CompletionBody, req.body);
    const { prompt } = input;
    const maxTokens = input.maxTokens ?? 64;
    const tenant = tenantId(input.tenant);
    const promptTag = sha256(normalizePrompt(prompt));
    const exactKey = redis.key(CACHE_PREFIX, sha256(prompt), { prompt: promptTag });
    const semanticKey = redis.key(SEMANTIC_PREFIX, promptTag, { prompt: promptTag });
    const cache = await lookup(redis, exactKey, semanticKey);
    if (cache.state === "hit") {
      return {
        status: 200,
        headers: { "x-cache": "hit" },
        body: { tenant, text: cache.text, cached: true, cacheVia: cache.via, budget: "enforced", usage: { totalTokens: 0 } },
      };
    }
    const charged =
      cache.state === "bypass" ? { budget: "skipped" as const, error: cache.error } : await charge(redis, tenant, estimateTokens(prompt) + maxTokens);
    const { budget } = charged;
    // A degraded answer names the Redis error behind it (READONLY: a cache read on a replica works, the budget's write does not).
    const redisError = charged.error === undefined ? {} : errorFields(charged.error).headers;
    if (budget === "exceeded") {
      return {
        status: 429,
        headers: { "x-cache": "miss" },
        body: { error: `tenant ${tenant} has spent its budget of ${TOKEN_BUDGET} tokens per hour`, budget: "enforced" },
      };
    }
    const completion = await fakeCompletion(prompt, maxTokens, llmLatencyMs);
    if (cache.state === "miss") {
      // Fill both caches off the request path; a failure here only costs a later miss.
      redis
        .run(exactKey, (r) => r.multi().set(exactKey, completion.text, "PX", CACHE_TTL_MS).set(semanticKey, completion.text, "PX", CACHE_TTL_MS).exec())
        .catch(() => {});
    }
    return {
      status: 200,
      headers: { "x-cache": cache.state, ...redisError },
      body: {
        tenant,
        text: completion.text,
        cached: false,
        budget,
        usage: {
          promptTokens: completion.promptTokens,
          completionTokens: completion.completionTokens,
          totalTokens: completion.promptTokens + completion.completionTokens,
        },
      },
    };
  };
  return {
    id: "L2",
    routes: [
      // hide-degradation (the breach): health stays "ok" while the cache is bypassed and the budget skipped.
      {
        method: "GET",
        pattern: "/health",
        handler: async () => {
          const h = await writeHealth(redis);
          if (misbehave.on || h.ok) return { status: 200, body: { status: "ok" } };
          return { status: 200, headers: { "x-redis-error": h.redisErrorClass }, body: { status: "degraded", ...h } };
        },
      },
      { method: "POST", pattern: "/v1/completions", handler: complete },
    ],
    misbehave,
    close: async () => redis.close(),
  };
}
