import "server-only";
/**
 * A Redis Cluster dev stack as a chaos run reads it, with the chaos credential: the shards from
 * the first answering node's CLUSTER NODES, named "shard-1"… by lowest slot (as the Cluster page
 * names them, so a promotion does not rename one), and per shard the hash tag its keys carry.
 * A key lives on one shard, so the run's marker, lock and filler are tagged into that shard's slots.
 */
import type { ConnectionAuth } from "../../redis/connection-auth";
import { parseClusterNodes, type ClusterNodeEntry } from "../../contract/cluster-info";
import { hashSlot } from "../../contract/cluster-keys";
import type { NodeAddress } from "../journal";
import { addr, withClient } from "./connect";

export interface DevShard {
  name: string;
  slots: [number, number][];
  master: NodeAddress;
  replicas: NodeAddress[];
  /** Hashes into the shard's lowest slot: stable across promotions, and a plain word to type in redis-cli. */
  tag: string;
}

export interface DevClusterTopology {
  nodes: NodeAddress[];
  shards: DevShard[];
}

export const MARKER_PREFIX = "rrc:chaos-allowed";
export const LOCK_PREFIX = "rrc:chaos-lock";

export const markerKey = (tag: string) => `${MARKER_PREFIX}:{${tag}}`;
export const lockKey = (tag: string) => `${LOCK_PREFIX}:{${tag}}`;
export const fillerPattern = (tag: string, runId: string) => `rrc:filler:{${tag}}:${runId}:*`;

const tagBySlot = new Map<number, string>();

/** The first of "0", "1", "2"… whose CRC16 lands on `slot` (about 16 K tries, once per slot). */
export function tagForSlot(slot: number): string {
  let tag = tagBySlot.get(slot);
  if (tag === undefined) {
    for (let i = 0; ; i++)
      if (hashSlot(`{${i}}`) === slot) {
        tag = String(i);
        break;
      }
    tagBySlot.set(slot, tag);
  }
  return tag;
}

const lowest = (e: ClusterNodeEntry) => Math.min(...e.slots.map((s) => s[0]));
const at = (e: ClusterNodeEntry): NodeAddress => ({ host: e.host, port: e.port });

/** Shards from one node's view: masters serving slots, by lowest slot; a failed master is not a shard's master. */
export function shardsFromView(view: ClusterNodeEntry[]): DevClusterTopology {
  const masters = view.filter((e) => e.role === "master" && e.slots.length && e.failing !== "fail").sort((a, b) => lowest(a) - lowest(b));
  return {
    nodes: view.filter((e) => e.failing !== "fail" && !e.flags.includes("noaddr")).map(at),
    shards: masters.map((m, i) => ({
      name: `shard-${i + 1}`,
      slots: m.slots,
      master: at(m),
      replicas: view.filter((e) => e.role === "replica" && e.masterId === m.id && e.failing !== "fail").map(at),
      tag: tagForSlot(lowest(m)),
    })),
  };
}

/** The topology as the first answering node says it; throws naming every node asked and why. */
export async function readTopology(seeds: NodeAddress[], auth: ConnectionAuth, timeoutMs: number): Promise<DevClusterTopology> {
  const why: string[] = [];
  for (const s of seeds) {
    try {
      const text = await withClient(s, auth, timeoutMs, (r) => r.call("CLUSTER", "NODES"));
      const topo = shardsFromView(parseClusterNodes(String(text)));
      if (topo.shards.length) return topo;
      why.push(`${addr(s)}: serves no slots`);
    } catch (err) {
      why.push(`${addr(s)}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no cluster node answered CLUSTER NODES to the chaos user (${why.join("; ")})`);
}

/** The shard named `name`, or an error listing the shards there are. */
export function shardNamed(topo: DevClusterTopology, name: string): DevShard {
  const s = topo.shards.find((x) => x.name === name);
  if (!s) throw new Error(`no ${name} in this cluster: it has ${topo.shards.map((x) => x.name).join(", ")}`);
  return s;
}

/** The master now serving `key`'s slot, from the first answering node of `nodes`. */
export async function ownerOf(key: string, nodes: NodeAddress[], auth: ConnectionAuth, timeoutMs: number): Promise<NodeAddress> {
  const slot = hashSlot(key);
  const topo = await readTopology(nodes, auth, timeoutMs);
  const s = topo.shards.find((x) => x.slots.some(([a, b]) => slot >= a && slot <= b));
  if (!s) throw new Error(`no master serves slot ${slot} (of ${key}) now`);
  return s.master;
}
