/**
 * Short-lived Redis connections for devstack's own checks. Every call is bounded: a frozen
 * node must make a check fail fast, never hang the supervisor.
 */
import Redis from "ioredis";
import { redisAuthOptions, type RedisAuth } from "./redis-auth";

export interface OneShotOptions {
  port: number;
  password?: string;
  /** User, password and TLS (the TLS + ACL sandbox); wins over `password`. */
  auth?: RedisAuth;
  timeoutMs?: number;
}

/** A client that connects on `connect()`, never retries or queues, and bounds each command; the caller disconnects it. */
export function boundedClient(opts: OneShotOptions): Redis {
  const timeoutMs = opts.timeoutMs ?? 1000;
  const client = new Redis({
    host: "127.0.0.1",
    port: opts.port,
    ...(opts.auth ? redisAuthOptions(opts.auth) : { password: opts.password }),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on("error", () => {
    /* the awaited command reports the failure */
  });
  return client;
}

/** Opens a connection, runs fn, always disconnects. Rejects within ~2x timeoutMs. */
export async function withRedis<T>(opts: OneShotOptions, fn: (r: Redis) => Promise<T>): Promise<T> {
  const client = boundedClient(opts);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}
