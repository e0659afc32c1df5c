import "server-only";
/** The live connections the collector samples, built from the config and rebuilt when the sandbox is replaced. */
import type Redis from "ioredis";
import type { ConsoleConfig } from "../config/schema";
import type { DeploymentConnections } from "../redis/connection-auth";
import { createClient } from "../redis/client";
import { Liveness } from "./liveness";
import { NodeSampler } from "./node-sampler";
import { SentinelSampler } from "./sentinel-sampler";

export interface NodeAddress {
  id: string;
  host: string;
  port: number;
}

export class Targets {
  /** Every node watched; on a cluster the list follows the topology (syncNodes). */
  nodes: NodeSampler[];
  readonly sentinels: SentinelSampler[];
  /** A client on the layers' own Redis address: ROLE through it is "Redis as the layers see it" (and whether they can write). */
  readonly layerPath: Redis | null;

  constructor(
    readonly config: ConsoleConfig,
    connections: DeploymentConnections,
    private readonly onConnectionLost: () => void,
    /** The nodes to watch: the config's, or on a cluster the ones discovered from the seeds. */
    nodeList: NodeAddress[] = config.redis.nodes,
  ) {
    const t = config.timeouts.redisMs;
    this.connections = connections;
    this.nodes = nodeList.map((n) => this.sampler(n));
    this.sentinels = config.redis.sentinels.map((s) => new SentinelSampler(s.id, s.host, s.port, config.redis.masterName, t, connections.sentinel));
    const la = config.redis.layerAddress;
    // The layers reach the master through this address with the nodes' credentials.
    this.layerPath = la ? createClient({ host: la.host, port: la.port, auth: connections.node, timeoutMs: t, onClose: onConnectionLost }) : null;
    this.layerPath?.once("ready", () => (this.layerPathConnected = true));
  }

  private readonly connections: DeploymentConnections;

  /** Each node also gets a liveness PING on its own connection; a flip either way is worth a look now. */
  private sampler(n: NodeAddress): NodeSampler {
    const { node } = this.connections;
    const t = this.config.timeouts.redisMs;
    const lost = this.onConnectionLost;
    return new NodeSampler(n.id, n.host, n.port, node, t, lost, new Liveness(n.host, n.port, node, () => lost()), !!this.config.redis.cluster);
  }

  /**
   * The cluster's topology named other nodes: watch the new ones, stop watching the ones gone
   * (a node removed with CLUSTER FORGET). True when the list changed.
   */
  syncNodes(list: NodeAddress[]): boolean {
    const key = (n: { host: string; port: number }) => `${n.host}:${n.port}`;
    const wanted = new Map(list.map((n) => [key(n), n]));
    const kept = this.nodes.filter((s) => wanted.has(key(s)));
    const gone = this.nodes.filter((s) => !wanted.has(key(s)));
    const have = new Set(kept.map(key));
    const added = list.filter((n) => !have.has(key(n))).map((n) => this.sampler(n));
    if (!gone.length && !added.length) return false;
    for (const g of gone) g.close();
    this.nodes = [...kept, ...added].sort((a, b) => a.port - b.port);
    return true;
  }

  /**
   * Whether the layers' address ever answered our connect. Before that, a failed ROLE says only
   * that the console's own client is still connecting (a slow start), not that Redis is
   * unreachable for the layers; the console then judges by the nodes until it knows.
   */
  layerPathConnected = false;

  /** Resolves once every client has connected or failed to (bounded), so the first tick sees real state. */
  async settled(timeoutMs: number): Promise<void> {
    const clients = [...this.nodes.map((n) => n.redis), ...this.sentinels.map((s) => s.redis), ...(this.layerPath ? [this.layerPath] : [])];
    await Promise.all(
      clients.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.status === "ready" || c.status === "end") return resolve();
            const done = () => {
              clearTimeout(timer);
              c.off("ready", done);
              c.off("error", done);
              resolve();
            };
            const timer = setTimeout(done, timeoutMs);
            c.once("ready", done);
            c.once("error", done);
          }),
      ),
    );
  }

  close(): void {
    for (const n of this.nodes) n.close();
    for (const s of this.sentinels) s.close();
    this.layerPath?.disconnect();
  }
}
