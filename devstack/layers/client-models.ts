/**
 * The layers' Redis client models, so the sandbox's layers reach Redis the way the guide's
 * platform does ("All Rust services use redis::aio::ConnectionManager which auto-reconnects.
 * APISIX Lua plugin creates new connection per request from keepalive pool."). Each constant
 * names where it comes from; the tuned ioredis model (layer-redis.ts) stays as a third choice.
 */
import Redis, { type RedisOptions } from "ioredis";
import { redisAuthOptions, type RedisAuth } from "../redis-auth";
import { withTimeout } from "../timeouts";

export type LayerClientModel = "apisix-redisrs" | "ioredis-tuned";

/**
 * redis-rs `redis::aio::ConnectionManager` (redis/src/aio/connection_manager.rs, redis/src/client.rs):
 * one multiplexed connection to one address, no Sentinel awareness; a failed command's error is
 * returned to the caller (never retried), and the manager reconnects in the background with
 * backon's ExponentialBuilder: min delay 100 ms, factor 2, 6 tries, jitter.
 */
export const REDIS_RS_CONNECTION_MANAGER = {
  /** DEFAULT_CONNECTION_RETRY_MIN_DELAY = 100 ms. */
  minDelayMs: 100,
  /** DEFAULT_CONNECTION_RETRY_EXPONENT_BASE = 2.0. */
  exponentBase: 2,
  /** DEFAULT_NUMBER_OF_CONNECTION_RETRIES = 6: after that the reconnect fails and the next command starts a new series. */
  retries: 6,
  /** client.rs DEFAULT_CONNECTION_TIMEOUT = 1 s per connection attempt. */
  connectionTimeoutMs: 1000,
  /** client.rs DEFAULT_RESPONSE_TIMEOUT = 500 ms per command. */
  responseTimeoutMs: 500,
} as const;

/** The delay before reconnect attempt `times` (1-based): 100, 200, … 3200 ms, then a new series; ± jitter as backon's with_jitter. */
export function redisRsBackoffMs(times: number, random = Math.random): number {
  const { minDelayMs, exponentBase, retries } = REDIS_RS_CONNECTION_MANAGER;
  const base = minDelayMs * exponentBase ** ((times - 1) % retries);
  return Math.round(base + random() * minDelayMs);
}

/** ioredis options that behave as a ConnectionManager: no offline queue, no resend, no retry of the failed command. */
export function redisRsOptions(): RedisOptions {
  const m = REDIS_RS_CONNECTION_MANAGER;
  return {
    connectTimeout: m.connectionTimeoutMs,
    commandTimeout: m.responseTimeoutMs,
    // The command that hit the error fails with it: ConnectionManager returns it to the caller.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // While reconnecting, a command fails at once rather than waiting in a queue.
    enableOfflineQueue: false,
    retryStrategy: (times: number) => redisRsBackoffMs(times),
    // No reconnect on READONLY: redis-rs keeps the connection to a demoted master and returns the error.
    reconnectOnError: null,
  };
}

/**
 * APISIX `limit-count` plugin with `policy: redis` (apisix/utils/redis.lua, apisix/plugins/limit-count/util.lua):
 * each request connects through lua-resty-redis, which takes an idle connection from the
 * host:port keepalive pool or opens a new one (AUTH only on a fresh one); after the commands the
 * connection goes back with set_keepalive, on an error it is not reused.
 */
export const APISIX_LIMIT_COUNT = {
  /** `redis_timeout` default 1000 ms, applied by set_timeouts(timeout, timeout, timeout) to connect, send and read. */
  connectTimeoutMs: 1000,
  readTimeoutMs: 1000,
  /** set_keepalive(conf.redis_keepalive_timeout or 10000, ...): an idle pooled connection is closed after 10 s. */
  keepaliveIdleMs: 10_000,
  /** set_keepalive(..., conf.redis_keepalive_pool or 100): at most 100 idle connections per pool. */
  poolSize: 100,
} as const;

/** A pooled connection could not be opened (the message is the client's own, so error classes stay as they were). */
export class RedisConnectError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }

  /** Refused or dropped before it answered, as opposed to a connect or AUTH that timed out (a frozen node accepts TCP). */
  get refused(): boolean {
    return !/timed? ?out/i.test(this.message);
  }
}

/** A connection per request from a keepalive pool, as lua-resty-redis gives APISIX's plugin. */
export class KeepalivePool {
  private readonly idle: { client: Redis; timer: NodeJS.Timeout }[] = [];
  private closed = false;

  constructor(
    private readonly port: number,
    private readonly auth: RedisAuth,
    private readonly name: string,
  ) {}

  private async take(): Promise<Redis> {
    while (this.idle.length) {
      const entry = this.idle.pop()!;
      clearTimeout(entry.timer);
      if (entry.client.status === "ready") return entry.client;
      entry.client.disconnect();
    }
    const client = new Redis({
      host: "127.0.0.1",
      port: this.port,
      ...redisAuthOptions(this.auth),
      connectionName: this.name,
      lazyConnect: true,
      connectTimeout: APISIX_LIMIT_COUNT.connectTimeoutMs,
      commandTimeout: APISIX_LIMIT_COUNT.readTimeoutMs,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      enableOfflineQueue: false,
      // A cosocket never reconnects by itself: the next request opens a new connection.
      retryStrategy: () => null,
      reconnectOnError: null,
    });
    client.on("error", () => {
      /* the request that uses it sees the error */
    });
    try {
      await withTimeout(client.connect(), APISIX_LIMIT_COUNT.connectTimeoutMs, "connect");
    } catch (err) {
      client.disconnect();
      throw new RedisConnectError(err);
    }
    return client;
  }

  private give(client: Redis): void {
    if (this.closed || client.status !== "ready" || this.idle.length >= APISIX_LIMIT_COUNT.poolSize) {
      client.disconnect();
      return;
    }
    const entry = { client, timer: setTimeout(() => this.evict(entry), APISIX_LIMIT_COUNT.keepaliveIdleMs) };
    entry.timer.unref();
    this.idle.push(entry);
  }

  private evict(entry: { client: Redis; timer: NodeJS.Timeout }): void {
    const i = this.idle.indexOf(entry);
    if (i >= 0) this.idle.splice(i, 1);
    entry.client.disconnect();
  }

  /** Runs `fn` on a pooled connection; on success it goes back to the pool, on an error it is closed. */
  async run<T>(fn: (client: Redis) => Promise<T>): Promise<T> {
    const client = await this.take();
    try {
      const result = await fn(client);
      this.give(client);
      return result;
    } catch (err) {
      client.disconnect();
      throw err;
    }
  }

  get idleConnections(): number {
    return this.idle.length;
  }

  close(): void {
    this.closed = true;
    for (const entry of this.idle.splice(0)) {
      clearTimeout(entry.timer);
      entry.client.disconnect();
    }
  }
}
