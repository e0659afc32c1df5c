/**
 * The Redis client every layer stand-in uses, pointed at the fault proxy (its one Redis
 * address, like the guide's `gw-redis`). The settings make failure fast and recovery quick,
 * which is what the guide's "recovery within 2-3 s" needs from a client.
 */
import Redis from "ioredis";
import { redisAuthOptions, type RedisAuth } from "../redis-auth";
import { withTimeout } from "../timeouts";

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

/** A layer's Redis client through the proxy; errors are handled per command, never thrown as events. */
export function createLayerRedis(port: number, auth: RedisAuth, layer: string): Redis {
  // The layers' login (user `layers` and TLS on the TLS + ACL sandbox); the proxy forwards the TLS bytes.
  const client = new Redis({ host: "127.0.0.1", port, ...redisAuthOptions(auth), connectionName: `devstack-${layer}`, ...LAYER_REDIS_SETTINGS });
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
export async function execOrThrow(multi: ReturnType<Redis["multi"]>): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error("transaction aborted");
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];
  return replies.map(([, value]) => value);
}
