import "server-only";
/** Samples one Redis node: one INFO per tick, parsed once. A call still in flight is never doubled. */
import type Redis from "ioredis";
import { createClient, describeClientError } from "../redis/client";
import type { ConnectionAuth } from "../redis/connection-auth";
import type { ConnectionProblem } from "../redis/connection-error";
import { parseInfo, type NodeInfo } from "../redis/info";
import { parseClusterInfo, type ClusterInfo } from "../contract/cluster-info";
import type { Liveness } from "./liveness";

export type NodeSample =
  | { id: string; addr: string; at: number; up: true; info: NodeInfo; cluster?: ClusterInfo }
  | { id: string; addr: string; at: number; up: false; error: string; problem?: ConnectionProblem };

export class NodeSampler {
  private client: Redis;
  private inFlight: Promise<NodeSample> | null = null;
  /** The last INFO that answered (the exporter-style metrics read commandstats and keyspace from it; the snapshot does not carry them). */
  lastInfo: NodeInfo | null = null;

  constructor(
    readonly id: string,
    readonly host: string,
    readonly port: number,
    auth: ConnectionAuth,
    private readonly timeoutMs: number,
    onClose: () => void,
    /** The node's liveness PING: a node it finds silent is reported so at once, without waiting for INFO's timeout. */
    readonly liveness: Liveness | null = null,
    /** A cluster node: its CLUSTER INFO (its own view of the cluster) travels with INFO, in the same round trip. */
    private readonly clusterNode = false,
  ) {
    this.client = createClient({ host, port, auth, timeoutMs, onClose });
  }

  get addr(): string {
    return `${this.host}:${this.port}`;
  }

  /** The client, for the few callers that need more than INFO (CONFIG GET, SCAN). */
  get redis(): Redis {
    return this.client;
  }

  sample(): Promise<NodeSample> {
    if (this.liveness?.notAnswering) return Promise.resolve(this.silent());
    if (this.inFlight) {
      // Last tick's INFO has not come back: say so instead of piling another on top.
      return Promise.resolve({
        id: this.id,
        addr: this.addr,
        at: Date.now(),
        up: false,
        error: `no answer within ${this.timeoutMs} ms (frozen, overloaded or network blackhole)`,
        problem: "timeout",
      });
    }
    // "all": commandstats and every default section in the one call a tick makes (INFO default
    // commandstats would need Redis 7). The per-command lines feed /api/metrics' redis_commands_*.
    this.inFlight = this.read()
      .then(([text, clusterText]): NodeSample => {
        const info = parseInfo(text);
        this.lastInfo = info;
        return { id: this.id, addr: this.addr, at: Date.now(), up: true, info, ...(clusterText ? { cluster: parseClusterInfo(clusterText) } : {}) };
      })
      .catch((err): NodeSample => {
        const d = describeClientError(this.client, err, this.timeoutMs);
        return { id: this.id, addr: this.addr, at: Date.now(), up: false, error: d.sentence, problem: d.problem };
      })
      .finally(() => (this.inFlight = null));
    // A node that freezes while its INFO is out is reported when the liveness PINGs say so,
    // not when INFO's own timeout expires: the look that waits on it is a freeze's first news.
    return this.liveness ? Promise.race([this.inFlight, this.liveness.whenSilent().then(() => this.silent())]) : this.inFlight;
  }

  /** INFO, and on a cluster node CLUSTER INFO pipelined behind it: one round trip either way. */
  private async read(): Promise<[string, string | null]> {
    if (!this.clusterNode) return [await this.client.info("all"), null];
    const replies = await this.client.pipeline().info("all").cluster("INFO").exec();
    const [[infoErr, info], [clusterErr, cluster]] = replies ?? [
      [new Error("pipeline aborted"), null],
      [null, null],
    ];
    if (infoErr) throw infoErr;
    // A node that answers INFO but not CLUSTER INFO (an ACL without it) is still up; its view is just unknown.
    return [info as string, clusterErr ? null : (cluster as string)];
  }

  private silent(): NodeSample {
    return { id: this.id, addr: this.addr, at: Date.now(), up: false, error: this.liveness!.sentence, problem: "timeout" };
  }

  close(): void {
    this.liveness?.close();
    this.client.disconnect();
  }
}
