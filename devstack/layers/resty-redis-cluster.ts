/**
 * L1's cluster client: APISIX limit-count with `policy: redis-cluster`, i.e. lua-resty-redis-cluster
 * (lib/resty/rediscluster.lua). A slot cache from CLUSTER SLOTS, shared by every request; each
 * command takes a connection from the keepalive pool of the slot's master; MOVED and a failed
 * connect refresh the cache and try again, up to DEFAULT_MAX_REDIRECTION times; CLUSTERDOWN is
 * returned at once; any other error refreshes the cache and is returned. Not modelled: ASK
 * (the sandbox never migrates slots) and reads from replicas (APISIX leaves enable_slave_read off).
 */
import type Redis from "ioredis";
import { hashSlot } from "../../lib/contract/cluster-keys";
import type { RedisAuth } from "../redis-auth";
import { KeepalivePool, RedisConnectError } from "./client-models";
import { RESTY_REDIS_CLUSTER } from "./cluster-client-models";

/** The Redis reply code an error starts with (`MOVED`, `CLUSTERDOWN`, …), looking inside a MULTI's EXECABORT. */
export function replyCode(err: unknown): string {
  const previous = (err as { previousErrors?: unknown[] } | null)?.previousErrors;
  const first = Array.isArray(previous) && previous.length ? previous[0] : err;
  const message = first instanceof Error ? first.message : String(first);
  return message.split(" ")[0] ?? "";
}

/** CLUSTER SLOTS' reply as slot → master port (the first node of each range). */
export function slotTable(reply: unknown): { masters: number[]; ports: number[] } {
  const masters: number[] = [];
  const ports = new Set<number>();
  for (const range of reply as [number, number, ...[string, number, ...unknown[]][]][]) {
    const [start, end, ...serving] = range;
    serving.forEach(([, port]) => ports.add(Number(port)));
    for (let slot = start; slot <= end; slot++) masters[slot] = Number(serving[0][1]);
  }
  return { masters, ports: [...ports] };
}

export class RestyRedisCluster {
  private masters: number[] | null = null;
  /** The servers the last CLUSTER SLOTS named: asked first on the next refresh, then the configured ones. */
  private known: number[] = [];
  private readonly pools = new Map<number, KeepalivePool>();
  private init: Promise<void> | null = null;
  private refreshing = false;

  constructor(
    private readonly seeds: number[],
    private readonly auth: RedisAuth,
    private readonly name: string,
  ) {}

  private pool(port: number): KeepalivePool {
    let pool = this.pools.get(port);
    if (!pool) this.pools.set(port, (pool = new KeepalivePool(port, this.auth, this.name)));
    return pool;
  }

  /** try_hosts_slots: each server in turn, up to 3 connects each, until one answers CLUSTER SLOTS. */
  private async fetchSlots(): Promise<void> {
    const errors: string[] = [];
    for (const port of [...this.known, ...this.seeds]) {
      for (let attempt = 1; attempt <= RESTY_REDIS_CLUSTER.maxConnectionAttempts; attempt++) {
        try {
          const table = slotTable(await this.pool(port).run((r) => r.call("CLUSTER", "SLOTS")));
          this.masters = table.masters;
          this.known = table.ports;
          return;
        } catch (err) {
          errors.push((err as Error).message);
          if (!(err instanceof RedisConnectError && err.refused)) break;
        }
      }
    }
    throw new Error(`failed to fetch slots: ${errors.slice(-3).join("; ")}`);
  }

  /** refresh_slots: under a lock taken with time_out 0, so a request that finds a refresh under way goes on with the old cache. */
  private async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      await this.fetchSlots();
    } catch {
      /* logged by lua-resty, never returned: the request answers with its own error */
    } finally {
      this.refreshing = false;
    }
  }

  /** Runs `fn` on a pooled connection to the master of `key`'s slot, as handle_command_with_retry does. */
  async run<T>(key: string, fn: (r: Redis) => Promise<T>): Promise<T> {
    // init_slots: the first requests wait for the one initial fetch; a failed one is tried again by the next request.
    if (!this.masters) await (this.init ??= this.fetchSlots().finally(() => (this.init = null)));
    const slot = hashSlot(key);
    let connectError: unknown = null;
    for (let attempt = 1; attempt <= RESTY_REDIS_CLUSTER.maxRedirection; attempt++) {
      const port = this.masters?.[slot];
      if (port === undefined) {
        await this.refresh();
        throw new Error(`serv_list for slot ${slot} is empty`);
      }
      try {
        return await this.pool(port).run(fn);
      } catch (err) {
        if (err instanceof RedisConnectError) {
          // Connected but AUTH timed out (a frozen node accepts TCP): check_auth's error is returned as it is.
          if (!err.refused) throw err;
          connectError = err;
          await this.refresh();
          continue;
        }
        const code = replyCode(err);
        if (code === "MOVED") {
          await this.refresh();
          continue;
        }
        if (code !== "CLUSTERDOWN") await this.refresh();
        throw err;
      }
    }
    throw connectError ?? new Error("failed to execute command, reaches maximum redirection attempts");
  }

  close(): void {
    for (const pool of this.pools.values()) pool.close();
  }
}
