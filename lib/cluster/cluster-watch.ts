/**
 * The console's watch of a Redis Cluster: from a tick's node samples (INFO + CLUSTER INFO per
 * node) and its one topology read, the snapshot's `cluster` part: shards with their slots,
 * masters, replicas and memory, every node's own view, disagreements confirmed on two looks,
 * failovers followed with their measured time, and where the layers' keys live. No Redis calls.
 */
import type { NodeSample } from "../collector/node-sampler";
import type { ClusterNodeEntry } from "../contract/cluster-info";
import type { ClusterNodeView, ClusterShard, ClusterSnapshot } from "../snapshot/cluster-types";
import { disagreementsOf, majority } from "./disagreements";
import type { ClusterFailover } from "../snapshot/cluster-types";
import { FailoverFollower, type FollowEvent } from "./failover-follow";
import { keyPlacement } from "./key-placement";
import { shardsOf, topologyNodes } from "./topology";

/** The tenant whose keys the console's probes touch (config/sandbox-probes.ts). */
export const PROBE_TENANT = "console-probe";

export type TopologyInput = { ok: true; from: string; entries: ClusterNodeEntry[] } | { ok: false; error: string };

function nodeView(s: NodeSample, clusterId: string | null): ClusterNodeView {
  const c = s.up ? s.cluster : undefined;
  const role = s.up && (s.info.role === "master" || s.info.role === "replica") ? s.info.role : "unknown";
  return {
    id: s.id,
    addr: s.addr,
    up: s.up,
    clusterId,
    role,
    state: c ? (c.state === "ok" ? "ok" : "fail") : null,
    slotsAssigned: c?.slotsAssigned ?? null,
    slotsOk: c?.slotsOk ?? null,
    slotsPfail: c?.slotsPfail ?? null,
    slotsFail: c?.slotsFail ?? null,
    knownNodes: c?.knownNodes ?? null,
    size: c?.size ?? null,
    currentEpoch: c?.currentEpoch ?? null,
    myEpoch: null,
  };
}

export class ClusterWatch {
  private readonly follower: FailoverFollower;
  /** Disagreements seen on the last look: one is said only when the next look confirms it. */
  private lastDisagreements = new Map<string, string>();
  /** The last topology that answered: a look whose read failed keeps showing it, marked. */
  private lastTopology: ClusterNodeEntry[] = [];
  private lastFrom: string | null = null;

  constructor(
    private readonly idOf: (addr: string) => string,
    /** Failovers from before, newest first, and where each new or finished one is recorded. */
    history: ClusterFailover[] = [],
    onRecord?: (f: ClusterFailover) => void,
  ) {
    this.follower = new FailoverFollower(history, onRecord);
  }

  /** Every failover followed, newest first. */
  failovers(): ClusterFailover[] {
    return this.follower.failovers();
  }

  /** The addresses the topology names (for following nodes added or removed). */
  addresses(): { host: string; port: number }[] {
    return topologyNodes(this.lastTopology).map((n) => ({ host: n.host, port: n.port }));
  }

  /** Folds one look into the cluster part; `events` are worth a timeline line each. */
  look(samples: NodeSample[], topology: TopologyInput, now: number): { cluster: ClusterSnapshot; events: FollowEvent[] } {
    if (topology.ok) {
      this.lastTopology = topology.entries;
      this.lastFrom = topology.from;
    }
    const topo = topologyNodes(this.lastTopology);
    const clusterIdOf = new Map(topo.map((n) => [this.idOf(n.addr), n.clusterId]));
    const views = samples.map((s) => nodeView(s, clusterIdOf.get(s.id) ?? null));
    const byId = new Map(samples.map((s) => [s.id, s]));
    const infoOf = (id: string) => {
      const s = byId.get(id);
      return s?.up ? s.info : null;
    };
    const shards: ClusterShard[] = shardsOf(topo, this.idOf).map((s) => {
      const m = s.master ? infoOf(s.master.id) : null;
      const withOffset = (r: ClusterShard["replicas"][number]) => {
        const i = infoOf(r.id);
        return { ...r, replicationOffset: i ? (i.role === "replica" ? (i.replicaReplOffset ?? null) : i.masterReplOffset) : null };
      };
      return {
        ...s,
        master: s.master ? withOffset(s.master) : null,
        replicas: s.replicas.map(withOffset),
        usedMemory: m?.usedMemory ?? null,
        maxmemory: m?.maxmemory ?? null,
        evictedKeys: m?.evictedKeys ?? null,
        keys: m?.keys ?? null,
      };
    });
    const answering = views.filter((v) => v.state !== null);
    const state = majority(answering.map((v) => v.state));
    // The slot counts as the majority of answering nodes report them (the node the topology came from breaks ties).
    const ref = answering.find((v) => v.state === state && v.id === this.lastFrom) ?? answering.find((v) => v.state === state);
    const failing = new Set<string>([
      ...samples.filter((n) => !n.up).map((n) => n.id),
      ...topo.filter((n) => n.failing !== null).map((n) => this.idOf(n.addr)),
    ]);
    const everyShardServed = shards.length > 0 && shards.every((s) => s.master && !failing.has(s.master.id));
    const clusterOk = answering.length > 0 && answering.every((v) => v.state === "ok") && everyShardServed;
    const events = this.follower.observe({ now, shards, failing, clusterOk });
    const seen = disagreementsOf(views);
    const confirmed = [...seen].filter(([id]) => this.lastDisagreements.has(id)).map(([, sentence]) => sentence);
    this.lastDisagreements = seen;
    return {
      cluster: {
        state,
        topologyFrom: topology.ok ? topology.from : null,
        ...(topology.ok ? {} : { topologyError: topology.error }),
        slotsAssigned: ref?.slotsAssigned ?? 0,
        slotsOk: ref?.slotsOk ?? 0,
        slotsPfail: ref?.slotsPfail ?? 0,
        slotsFail: ref?.slotsFail ?? 0,
        knownNodes: ref?.knownNodes ?? null,
        size: ref?.size ?? null,
        shards,
        nodes: views,
        disagreements: confirmed,
        failovers: this.follower.failovers(),
        failoverInProgress: this.follower.inProgress(shards),
        keyPlacement: keyPlacement(shards, PROBE_TENANT),
      },
      events,
    };
  }
}
