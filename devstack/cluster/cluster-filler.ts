/**
 * Memory pressure on one cluster master: filler keys `chaos:filler:{<tag>}:<fill>:<n>` whose tag
 * hashes into one of that node's own slots, so they are written to it (a key of another slot
 * would be refused with MOVED), each with the fault's TTL. Removal asks every master.
 */
import type { FillResult } from "../../lib/contract/control-answers";
import { hashSlot } from "../../lib/contract/cluster-keys";
import { FILLER_PREFIX } from "../../lib/contract/failure-contract";
import { fillMemory, removeFiller, type FillerKey } from "../control/memory-filler";
import { HttpError } from "../http/http-kit";
import { withRedis } from "../redis-client";
import { parseClusterNodes, type ClusterNodeEntry } from "../../lib/contract/cluster-info";

/** The first tag `f0`, `f1`, … whose slot lies in `slots` (inclusive ranges); null when there are none. */
export function fillerTag(slots: [number, number][]): string | null {
  if (!slots.some(([a, b]) => b >= a)) return null;
  // 16384 slots: within a few times that many candidates every slot has been hit.
  for (let n = 0; n < 200_000; n++) {
    const slot = hashSlot(`f${n}`);
    if (slots.some(([a, b]) => slot >= a && slot <= b)) return `f${n}`;
  }
  return null;
}

/** Filler key `n` of fill `fill`, tagged into the tag's slot. */
export const clusterFillerKey =
  (tag: string): FillerKey =>
  (fill, n) =>
    `${FILLER_PREFIX}{${tag}}:${fill}:${n}`;

/** The node's CLUSTER NODES, bounded: its own line and everyone it knows. */
export async function clusterView(port: number, password: string): Promise<{ me: ClusterNodeEntry; all: ClusterNodeEntry[] }> {
  const all = parseClusterNodes(String(await withRedis({ port, password, timeoutMs: 1000 }, (r) => r.call("CLUSTER", "NODES"))));
  const me = all.find((e) => e.myself);
  if (!me) throw new Error(`the node on port ${port} does not list itself in CLUSTER NODES`);
  return { me, all };
}

/** The node's own line of its CLUSTER NODES. */
export const ownView = async (port: number, password: string): Promise<ClusterNodeEntry> => (await clusterView(port, password)).me;

/** Fills the master `name` towards `targetPercent`; 409 when it is not a master serving slots. */
export async function fillClusterNode(
  name: string,
  port: number,
  password: string,
  targetPercent: number,
  ttlMs: number,
): Promise<FillResult & { slot: number }> {
  const me = await ownView(port, password);
  if (me.role !== "master") throw new HttpError(409, `${name} is a replica now; fill a master (GET /status says which nodes are masters)`);
  const tag = fillerTag(me.slots);
  if (!tag) throw new HttpError(409, `${name} is a master that serves no slots, so no key can be written to it`);
  const result = await fillMemory(port, { password }, targetPercent, ttlMs, 15_000, clusterFillerKey(tag));
  return { ...result, slot: hashSlot(`{${tag}}`) };
}

/** Deletes the filler on every node that answers as a master; a node that cannot be asked is left (its keys expire by their TTL). */
export async function removeClusterFiller(nodes: { port: number; frozen?: boolean; running?: boolean }[], password: string): Promise<number> {
  let removed = 0;
  for (const n of nodes) {
    if (n.frozen || n.running === false) continue;
    try {
      if ((await ownView(n.port, password)).role === "master") removed += await removeFiller(n.port, { password });
    } catch {
      /* unreachable now: the keys carry the fault's TTL */
    }
  }
  return removed;
}
