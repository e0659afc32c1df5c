/**
 * The Redis client every layer stand-in uses, pointed at the fault proxy (its one Redis
 * address, like the guide's `gw-redis`). The settings make failure fast and recovery quick,
 * which is what the guide's "recovery within 2-3 s" needs from a client.
 */
import Redis from "ioredis";
import { redisAuthOptions, type RedisAuth } from "../redis-auth";
import { messageOf, withTimeout } from "../timeouts";
import { redisRsOptions, type LayerClientModel } from "./client-models";
import type { LayerClient, RedisAccess } from "./redis-access";

/** Explicit client settings, each chosen for the failure contract. */
export const LAYER_REDIS_SETTINGS = {
  /** A connect that takes longer than this is a dead Redis for a request path. */
  connectTimeout: 500,
  /** A command that takes longer fails, so a frozen Redis costs a request 300 ms, not forever. */
  commandTimeout: 300,
  /** One resend after a reconnect at most: a request must not wait through many retries. */
  maxRetriesPerRequest: 1,
  /** No queueing while disconnected: commands fail at once and the layer applies its policy. */
  enableOfflineQueue: false,
  /** Reconnect forever, quickly: 100, 200, … capped at 500 ms, so a restarted Redis is back in < 1 s. */
  retryStrategy: (times: number) => Math.min(times * 100, 500),
  /** Dead peers behind the proxy are noticed by TCP keepalive as well as by command timeouts. */
  keepAlive: 5000,
} as const;

/**
 * A layer's Redis client through the proxy; errors are handled per command, never thrown as events.
 * "apisix-redisrs" gives the redis-rs ConnectionManager model (client-models.ts), "ioredis-tuned" the settings above.
 */
export function createLayerRedis(port: number, auth: RedisAuth, layer: string, model: LayerClientModel = "apisix-redisrs"): Redis {
  const settings = model === "ioredis-tuned" ? LAYER_REDIS_SETTINGS : redisRsOptions();
  const client = new Redis({ host: "127.0.0.1", port, ...redisAuthOptions(auth), connectionName: `devstack-${layer}`, ...settings });
  client.on("error", () => {
    /* connection errors surface on the commands that need Redis, where the layer's policy applies */
  });
  return client;
}

/** A live PING with a hard timeout: health is measured on every call, never a cached flag. */
export async function redisAnswers(client: Redis, timeoutMs = 400): Promise<boolean> {
  try {
    return (await withTimeout(client.ping(), timeoutMs, "PING")) === "PONG";
  } catch {
    return false;
  }
}

/** Runs a MULTI and returns its replies, throwing the first per-command error (or an aborted transaction). */
export async function execOrThrow(multi: ReturnType<LayerClient["multi"]>): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error("transaction aborted");
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];
  return replies.map(([, value]) => value);
}

const HEALTH_KEY = "devstack:health-probe:never-set";

/** The Redis error classes a layer reports, so a probe can tell a replica from an outage. */
export type RedisErrorClass = "READONLY" | "refused" | "timeout" | "error";

/** The class of a Redis client error: READONLY (writing to a replica), refused/dropped, timeout, or other. */
export function redisErrorClass(err: unknown): RedisErrorClass {
  const m = fullMessage(err);
  if (/READONLY/.test(m)) return "READONLY";
  if (/timed? ?out|timeout/i.test(m)) return "timeout";
  if (/ECONNREFUSED|ECONNRESET|EPIPE|closed|isn't writeable|not writeable|enableOfflineQueue|end of stream|socket/i.test(m)) return "refused";
  return "error";
}

/** The message with a MULTI's queued errors: an EXECABORT hides the READONLY that caused it in `previousErrors`. */
function fullMessage(err: unknown): string {
  const previous = (err as { previousErrors?: unknown[] } | null)?.previousErrors;
  const first = Array.isArray(previous) && previous.length ? messageOf(previous[0]) : null;
  return first ? `${first} (${messageOf(err)})` : messageOf(err);
}

/** "READONLY You can't write against a read only replica." or "refused: Connection is closed." (first line, capped). */
export function redisErrorText(err: unknown): string {
  const cls = redisErrorClass(err);
  const m = fullMessage(err).split("\n")[0].slice(0, 160);
  return cls === "READONLY" || cls === "error" ? m.replace(/^.*?(READONLY)/, "$1") : `${cls}: ${m}`;
}

/**
 * A layer's health through a write, not a PING: a replica answers PING, so a layer whose address
 * leads to a demoted master would report ok while every write fails with READONLY. On a cluster
 * the write lands on the one shard that owns the probe key's slot: like the platform's health
 * check, it says nothing about the other shards.
 */
export async function writeHealth(
  redis: Pick<RedisAccess, "run">,
  timeoutMs = 600,
): Promise<{ ok: true } | { ok: false; redisError: string; redisErrorClass: RedisErrorClass }> {
  try {
    // DEL of a key that never exists: a write command (a replica refuses it with READONLY) that leaves no key behind.
    await withTimeout(
      redis.run(HEALTH_KEY, (r) => r.del(HEALTH_KEY)),
      timeoutMs,
      "health write",
    );
    return { ok: true };
  } catch (err) {
    return { ok: false, redisError: redisErrorText(err), redisErrorClass: redisErrorClass(err) };
  }
}

/** The answer headers and body fields that carry a Redis error to the probes and the traffic workload. */
export function errorFields(err: unknown): { headers: Record<string, string>; fields: { redisError: string; redisErrorClass: RedisErrorClass } } {
  const cls = redisErrorClass(err);
  return { headers: { "x-redis-error": cls }, fields: { redisError: redisErrorText(err), redisErrorClass: cls } };
}
