/**
 * How a layer stand-in reaches Redis, whatever the sandbox: it runs a function with a client
 * that serves a key's slot, and names its keys the sandbox's way. On the Sentinel sandbox the key
 * is only a name (one address, the proxy); on a cluster it decides the shard.
 */
import type Redis from "ioredis";
import type { Cluster } from "ioredis";
import type { LayerId } from "../../lib/contract/failure-contract";
import type { RedisAuth } from "../redis-auth";
import { KeepalivePool, type LayerClientModel } from "./client-models";
import { createRedisRsCluster } from "./cluster-client-models";
import { createLayerRedis } from "./layer-redis";
import { clusterKeys, sentinelKeys, type KeyNaming } from "./layer-keys";
import { RestyRedisCluster } from "./resty-redis-cluster";

/** A connection to one node, or a cluster client that routes each command by its key's slot. */
export type LayerClient = Redis | Cluster;

export interface RedisAccess {
  /** Runs `fn` with a client for `key`'s slot; every key `fn` touches must share that slot on a cluster. */
  run<T>(key: string, fn: (r: LayerClient) => Promise<T>): Promise<T>;
  /** The sandbox's key names. */
  key: KeyNaming;
  close(): void;
}

/**
 * A layer's access on the Sentinel sandbox, through the proxy, exactly as before: L1's APISIX
 * keepalive pool or one client per layer (client-models.ts, layer-redis.ts).
 */
export function sentinelAccess(layer: LayerId, proxyPort: number, auth: RedisAuth, model: LayerClientModel): RedisAccess {
  if (layer === "L1" && model === "apisix-redisrs") {
    const pool = new KeepalivePool(proxyPort, auth, "devstack-L1");
    return { run: (_key, fn) => pool.run(fn), key: sentinelKeys, close: () => pool.close() };
  }
  // L1 on "ioredis-tuned" has always taken createLayerRedis's default model; kept as it was.
  const client = layer === "L1" ? createLayerRedis(proxyPort, auth, "L1") : createLayerRedis(proxyPort, auth, layer, model);
  return { run: (_key, fn) => fn(client), key: sentinelKeys, close: () => client.disconnect() };
}

/**
 * A layer's access on the cluster sandbox, straight to the nodes: L1 as APISIX's
 * lua-resty-redis-cluster, L2, L3 and CP as redis-rs's ClusterConnection (cluster-client-models.ts).
 */
export function clusterAccess(layer: LayerId, ports: number[], auth: RedisAuth): RedisAccess {
  const name = `devstack-cluster-${layer}`;
  if (layer === "L1") {
    const client = new RestyRedisCluster(ports, auth, name);
    return { run: (key, fn) => client.run(key, fn), key: clusterKeys, close: () => client.close() };
  }
  const cluster = createRedisRsCluster(ports, auth, name);
  return { run: (_key, fn) => fn(cluster), key: clusterKeys, close: () => cluster.disconnect() };
}
