/**
 * The platform's cluster clients, modelled for the cluster sandbox's layers. Constants name the
 * source they come from (lua-resty-redis-cluster lib/resty/rediscluster.lua at steve0511/
 * resty-redis-cluster e080402, APISIX apisix/utils/rediscluster.lua and redis-schema.lua at
 * f519a0f, redis-rs 1.6.0 redis/src/cluster_handling at 88fb4d6). Where ioredis cannot behave
 * as the real client does, the difference is said here and in devstack/README.md.
 */
import { Cluster, type ClusterOptions } from "ioredis";
import { redisAuthOptions, type RedisAuth } from "../redis-auth";

/**
 * APISIX limit-count `policy: redis-cluster` on lua-resty-redis-cluster. APISIX passes
 * `redis_timeout` (default 1000 ms) as connect, send and read timeout, and its own keepalive
 * settings (10 s idle, 100 per pool: APISIX_LIMIT_COUNT in client-models.ts), which replace the
 * library's DEFAULT_KEEPALIVE_TIMEOUT 55 s and DEFAULT_KEEPALIVE_CONS 1000.
 */
export const RESTY_REDIS_CLUSTER = {
  /** DEFAULT_MAX_REDIRECTION = 5: attempts per command over MOVED and failed connects, each failed one followed by a slot refresh. */
  maxRedirection: 5,
  /** DEFAULT_MAX_CONNECTION_ATTEMPTS = 3: connects per host while fetching the slots (try_hosts_slots). */
  maxConnectionAttempts: 3,
  /** redis_timeout = 1000 ms: connect, send and read. */
  timeoutMs: 1000,
} as const;

/**
 * redis-rs `cluster_async::ClusterConnection` from a default `ClusterClient`
 * (cluster_handling/client.rs, async_connection/mod.rs and request.rs).
 */
export const REDIS_RS_CLUSTER = {
  /** RetryParams DEFAULT_RETRIES = 16: retries per request over MOVED, dropped connections, TRYAGAIN, CLUSTERDOWN. */
  retries: 16,
  /** DEFAULT_MIN_RETRY_WAIT_TIME = 1280 ms: the least a WaitAndRetry (CLUSTERDOWN, TRYAGAIN, MASTERDOWN) sleeps. */
  minRetryWaitMs: 1280,
  /** ClusterParams connection_timeout = DEFAULT_CONNECTION_TIMEOUT (client.rs) = 1 s per connect. */
  connectionTimeoutMs: 1000,
  /** reconnect_loop: a node is repaired from 50 ms, doubling to 1 s. */
  reconnectMinMs: 50,
  reconnectMaxMs: 1000,
  /**
   * response_timeout is None by default for a cluster (no per-command and no overall timeout):
   * redis-rs would wait on a frozen node for ever. The stand-in gives up after 10 s instead, far
   * above every probe's deadline (3 s), so it still looks hung to anyone who calls it.
   */
  standInCommandBoundMs: 10_000,
} as const;

/** redis-rs reconnect_loop's delay before attempt `times` (1-based): 50, 100, 200, … capped at 1 s. */
export function redisRsReconnectMs(times: number): number {
  const { reconnectMinMs, reconnectMaxMs } = REDIS_RS_CLUSTER;
  return Math.min(reconnectMinMs * 2 ** Math.max(0, times - 1), reconnectMaxMs);
}

/** ioredis Cluster options that behave as a default redis-rs ClusterConnection, as far as ioredis can. */
export function redisRsClusterOptions(auth: RedisAuth, name: string): ClusterOptions {
  const m = REDIS_RS_CLUSTER;
  return {
    // ioredis counts every redirect or retry of a command against this, as redis-rs counts retries.
    maxRedirections: m.retries,
    // redis-rs re-sends after MOVED at once (Retry::Immediately).
    retryDelayOnMoved: 0,
    // A dropped or refused node: redis-rs moves the request to pending, rebuilds its slot map and
    // re-sends; ioredis waits this long, refreshes the slots and re-sends.
    retryDelayOnFailover: m.reconnectMinMs,
    // CLUSTERDOWN and TRYAGAIN: redis-rs sleeps rand(1280 .. 10·2^n) ms; ioredis takes one fixed delay, the lower bound.
    retryDelayOnClusterDown: m.minRetryWaitMs,
    retryDelayOnTryAgain: m.minRetryWaitMs,
    // No queue while the client has no usable connection to the slot's node: the command goes into the
    // retry path above, not into a wait on a dead socket (redis-rs keeps no per-node queue either).
    enableOfflineQueue: false,
    // redis-rs has no periodic topology refresh: only MOVED and failed requests rebuild the slot map.
    slotsRefreshInterval: 0,
    slotsRefreshTimeout: m.connectionTimeoutMs,
    // When no startup node answers, reconnect as reconnect_loop does.
    clusterRetryStrategy: (times) => redisRsReconnectMs(times),
    // A lost node is reconnected on demand by the next command for its slots (ioredis default), as redis-rs's
    // requests do; redis-rs also repairs it in the background, which changes no answer.
    clusterNodeRetryStrategy: null,
    redisOptions: {
      ...redisAuthOptions(auth),
      connectionName: name,
      connectTimeout: m.connectionTimeoutMs,
      commandTimeout: m.standInCommandBoundMs,
    },
  };
}

/** A layer's redis-rs-like cluster client over the cluster's nodes; errors surface on the commands. */
export function createRedisRsCluster(ports: number[], auth: RedisAuth, name: string): Cluster {
  const cluster = new Cluster(
    ports.map((port) => ({ host: "127.0.0.1", port })),
    redisRsClusterOptions(auth, name),
  );
  cluster.on("error", () => {
    /* the command that needed the node reports it, where the layer's policy applies */
  });
  cluster.on("node error", () => {
    /* a node that cannot be asked for slots: the next one is asked */
  });
  return cluster;
}
