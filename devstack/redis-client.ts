/**
 * Short-lived Redis connections for devstack's own checks. Every call is bounded: a frozen
 * node must make a check fail fast, never hang the supervisor.
 */
import Redis from "ioredis";

export interface OneShotOptions {
  port: number;
  password?: string;
  timeoutMs?: number;
}

/** Opens a connection, runs fn, always disconnects. Rejects within ~2x timeoutMs. */
export async function withRedis<T>(opts: OneShotOptions, fn: (r: Redis) => Promise<T>): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 1000;
  const client = new Redis({
    host: "127.0.0.1",
    port: opts.port,
    password: opts.password,
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
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}
