import "server-only";
/**
 * What the collector does differently on a Redis Cluster: the nodes come from the seeds'
 * topology and follow it, each tick adds one CLUSTER NODES read, and the look gains the
 * snapshot's `cluster` part. On the cluster sandbox the nodes are named as the sandbox names
 * them (node-1…), and a restarted sandbox (new cluster id, new password) is noticed.
 */
import { readClusterState, type ClusterState } from "../contract/cluster-state";
import { ClusterWatch } from "../cluster/cluster-watch";
import { clusterFailoverOf, storedClusterFailover, type FollowEvent, type StoredClusterFailover } from "../cluster/failover-follow";
import type { Records } from "../store/records";
import { discoverNodes, TopologyReader, type TopologyRead } from "../cluster/topology-reader";
import type { ConsoleConfig } from "../config/schema";
import type { ConnectionAuth } from "../redis/connection-auth";
import type { ClusterFailover, ClusterSnapshot } from "../snapshot/cluster-types";
import type { NodeSample, NodeSampler } from "./node-sampler";
import type { NodeAddress, Targets } from "./targets";

export class ClusterMode {
  private readonly reader: TopologyReader;
  private watch: ClusterWatch;
  private sandbox: ClusterState | null;
  private discoveryError: string | null = null;

  constructor(
    private readonly config: ConsoleConfig,
    /** The Cluster's failover history in the store (null: memory only). */
    private readonly records: Records<StoredClusterFailover> | null = null,
  ) {
    this.sandbox = this.readSandbox();
    this.reader = new TopologyReader(config.redis.username, config.timeouts.redisMs);
    this.watch = this.newWatch(this.initialHistory());
  }

  private initialHistory() {
    const saved = [...(this.records?.initial ?? [])].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
    // One left unfinished by a console that stopped is history now: nothing follows it any more.
    return saved.map(clusterFailoverOf);
  }

  /** A watch that records each failover it follows; the history carries over a sandbox restart. */
  private newWatch(history: ClusterFailover[]): ClusterWatch {
    return new ClusterWatch(
      (addr) => this.idOf(addr),
      history,
      (f) => this.records?.save(storedClusterFailover(f)),
    );
  }

  /** The failovers followed (and read from the store), as the store keeps them. */
  failoverRecords(): StoredClusterFailover[] {
    return this.watch.failovers().map(storedClusterFailover);
  }

  private readSandbox(): ClusterState | null {
    const d = this.config.devstack;
    return this.config.source === "devstack" && d?.kind === "cluster" ? readClusterState(d.dir) : null;
  }

  /** The cluster sandbox's state as of the last look (null: not the cluster sandbox, or not running). */
  sandboxState(): ClusterState | null {
    return this.sandbox;
  }

  /** The sandbox's name for a node (node-1…), else its address. */
  idOf(addr: string): string {
    const port = Number(addr.slice(addr.lastIndexOf(":") + 1));
    return this.sandbox?.nodes.find((n) => n.port === port && addr.startsWith(this.sandbox!.host))?.name ?? addr;
  }

  private named(list: { host: string; port: number }[]): NodeAddress[] {
    return list.map((n) => ({ id: this.idOf(`${n.host}:${n.port}`), host: n.host, port: n.port }));
  }

  /** Before the first look: the seeds, watched until discovery names the whole cluster. */
  initialNodes(): NodeAddress[] {
    return this.named(this.config.redis.cluster?.seeds ?? []);
  }

  /** The cluster's nodes as a seed sees them, then watched (bounded by the Redis timeout per seed). */
  async discover(targets: Targets, auth: ConnectionAuth): Promise<void> {
    const found = await discoverNodes(this.config.redis.cluster?.seeds ?? [], auth, this.config.timeouts.redisMs);
    this.discoveryError = found.error;
    targets.syncNodes(this.named(found.nodes));
  }

  /** One CLUSTER NODES a tick. */
  readTopology(nodes: NodeSampler[]): Promise<TopologyRead> {
    return this.reader.read(nodes);
  }

  /**
   * The sandbox was restarted (another cluster id): the caller rebuilds its clients with the new
   * password. Read once a tick (a small file).
   */
  sandboxReplaced(): boolean {
    const before = this.sandbox?.clusterId ?? null;
    this.sandbox = this.readSandbox();
    const replaced = !!this.sandbox && this.sandbox.clusterId !== before && before !== null;
    if (replaced) this.watch = this.newWatch(this.watch.failovers().filter((f) => f.okAt !== null));
    return replaced;
  }

  /** Folds a look; follows nodes the topology added or removed. */
  fold(samples: NodeSample[], topology: TopologyRead, targets: Targets): { cluster: ClusterSnapshot; events: FollowEvent[] } {
    const out = this.watch.look(samples, topology, Date.now());
    const addresses = this.watch.addresses();
    if (topology.ok && addresses.length) targets.syncNodes(this.named(addresses));
    if (!topology.ok && this.discoveryError && !out.cluster.topologyError) out.cluster.topologyError = this.discoveryError;
    return out;
  }
}
