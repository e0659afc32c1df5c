import "server-only";
/**
 * A chaos run's own look at the cluster sandbox's nodes: CLUSTER INFO and CLUSTER NODES of every
 * node, one pipelined round trip each, bounded by a short timeout, so a scenario can time a
 * promotion to ~100 ms without waiting on the collector's tick. A dead or frozen node is simply
 * "not answering" within the timeout. The password comes from the sandbox's state file and stays
 * in the client's options (not enumerable).
 */
import type Redis from "ioredis";
import { readClusterState } from "../../contract/cluster-state";
import { SANDBOX_HOST } from "../../contract/ports";
import { createClient, describeRedisError } from "../../redis/client";
import { parseClusterInfo, parseClusterNodes } from "../../contract/cluster-info";
import type { ClusterLook, NodeLook } from "./shard-map";

const LOOK_TIMEOUT_MS = 500;

export interface SandboxNode {
  name: string;
  port: number;
}

/** Resolves once the client is ready, or after `ms`: a command before the first connect would fail at once (no offline queue). */
function firstConnect(client: Redis, ms: number): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once("ready", done);
  });
}

export class ClusterReader {
  private readonly clients = new Map<string, Redis>();
  /** Each client's first connect; later looks never wait for a reconnect (a dead node must answer "no" at once). */
  private readonly connected = new Map<string, Promise<void>>();

  constructor(
    readonly nodes: SandboxNode[],
    private readonly password: () => string | undefined,
    private readonly timeoutMs = LOOK_TIMEOUT_MS,
  ) {}

  /** The reader of the cluster sandbox in `dir` (throws when it is not running). */
  static forDir(dir: string, timeoutMs?: number): ClusterReader {
    const state = readClusterState(dir);
    if (!state) throw new Error("the cluster sandbox is not running (no cluster-state.json)");
    return new ClusterReader(
      state.nodes.map((n) => ({ name: n.name, port: n.port })),
      () => readClusterState(dir)?.password,
      timeoutMs,
    );
  }

  /** A node's client (bounded commands, no offline queue), for a scenario's few reads: INFO, SCAN. */
  client(name: string): Redis {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`${name} is not a node of the cluster sandbox`);
    let c = this.clients.get(name);
    if (!c) {
      c = createClient({
        host: SANDBOX_HOST,
        port: node.port,
        timeoutMs: this.timeoutMs,
        auth: { password: this.password, tlsField: "redis.tls", passwordField: "redis.password" },
      });
      this.clients.set(name, c);
      this.connected.set(name, firstConnect(c, this.timeoutMs));
    }
    return c;
  }

  /** A node's client once its first connect is done (or timed out). */
  async ready(name: string): Promise<Redis> {
    const c = this.client(name);
    await this.connected.get(name);
    return c;
  }

  private async lookAt(node: SandboxNode): Promise<NodeLook> {
    try {
      const replies = await (await this.ready(node.name)).pipeline().call("CLUSTER", "INFO").call("CLUSTER", "NODES").exec();
      const [[infoErr, info], [nodesErr, nodes]] = replies ?? [
        [new Error("pipeline aborted"), null],
        [null, null],
      ];
      if (infoErr || nodesErr) throw infoErr ?? nodesErr;
      const view = parseClusterNodes(String(nodes));
      const cluster = parseClusterInfo(String(info));
      return {
        name: node.name,
        port: node.port,
        answering: true,
        error: null,
        state: cluster.state,
        currentEpoch: cluster.currentEpoch,
        myself: view.find((e) => e.myself) ?? null,
        view,
      };
    } catch (err) {
      return {
        name: node.name,
        port: node.port,
        answering: false,
        error: describeRedisError(err, this.timeoutMs),
        state: null,
        currentEpoch: null,
        myself: null,
        view: [],
      };
    }
  }

  /** Every node's own view, at once. */
  async look(): Promise<ClusterLook> {
    const at = Date.now();
    const nodes = await Promise.all(this.nodes.map((n) => this.lookAt(n)));
    return { at, nodes };
  }

  close(): void {
    for (const c of this.clients.values()) c.disconnect();
    this.clients.clear();
  }
}
