/**
 * A manual failover on the cluster: CLUSTER FAILOVER [FORCE|TAKEOVER] on a replica, then a
 * bounded wait until it reports itself master. Reset uses it to give each shard back the master
 * `up` made (a node created master that is now a replica takes its slots back).
 */
import { z } from "zod";
import { CLUSTER_FAILOVER_MODES, type ClusterFailoverAnswer, type ClusterFailoverMode } from "../../lib/contract/cluster-control-answers";
import { HttpError } from "../http/http-kit";
import { withRedis } from "../redis-client";
import { sleep } from "../timeouts";
import type { ManagedProcess } from "../topology/managed-process";
import { clusterView, ownView } from "./cluster-filler";
import type { ClusterNodeEntry } from "../../lib/contract/cluster-info";

export const FAILOVER_MODES = CLUSTER_FAILOVER_MODES;
export type FailoverMode = ClusterFailoverMode;

export const FailoverBody = z.strictObject({
  mode: z.enum(FAILOVER_MODES, { error: 'mode must be "default" (the master agrees), "force" (without its master) or "takeover" (without a vote)' }).optional(),
});

/** How long a failover may take to show: a default one waits for the replica to catch up (Redis gives it 5 s), then the vote. */
export const FAILOVER_WAIT_MS = 15_000;
/** Redis's CLUSTER_MF_TIMEOUT: a manual failover not done by then is abandoned. */
const MF_TIMEOUT_MS = 5000;
/** At most this long for the cluster to agree the node is a replica before it is asked to fail over. */
const AGREEMENT_WAIT_MS = 5000;

export type FailoverAnswer = ClusterFailoverAnswer;

async function viewOrNull(port: number, password: string): Promise<ClusterNodeEntry | null> {
  try {
    return await ownView(port, password);
  } catch {
    return null;
  }
}

/**
 * Waits (until `deadline`) for every live node to list `replicaId` as a replica of `masterId`: a
 * master refuses its vote to a node it still takes for a master ("it is a master node"), and the
 * replica's own master joins a manual failover only once it knows it; a node demoted a moment
 * ago may not have gossiped that yet.
 */
async function untilClusterAgrees(nodes: ManagedProcess[], replicaId: string, masterId: string, password: string, deadline: number): Promise<void> {
  const live = nodes.filter((n) => n.running && !n.frozen);
  while (Date.now() < deadline) {
    const views = await Promise.all(live.map((n) => clusterView(n.port, password).catch(() => null)));
    if (views.every((v) => !v || v.all.find((e) => e.id === replicaId)?.masterId === masterId)) return;
    await sleep(100);
  }
}

/** Whether every live node's CLUSTER NODES lists `id` as a master (a node that does not answer does not count against it). */
async function everyoneSeesMaster(nodes: ManagedProcess[], id: string, password: string): Promise<boolean> {
  const live = nodes.filter((n) => n.running && !n.frozen);
  const views = await Promise.all(live.map((n) => clusterView(n.port, password).catch(() => null)));
  return views.every((v) => !v || v.all.find((e) => e.id === id)?.role === "master");
}

/** Runs CLUSTER FAILOVER on `node` (a replica now, or 409) and waits until it is master (or 504). */
export async function failoverTo(node: ManagedProcess, all: ManagedProcess[], password: string, mode: FailoverMode): Promise<FailoverAnswer> {
  if (!node.running || node.frozen) throw new HttpError(409, `${node.name} is ${node.frozen ? "frozen" : "not running"}; thaw or restart it first`);
  const view = await clusterView(node.port, password);
  const me = view.me;
  // Nodes announce 127.0.0.1 and their own port, so a port names a sandbox node.
  const nameOf = (e: ClusterNodeEntry | undefined) => (e ? (all.find((p) => p.port === e.port)?.name ?? null) : null);
  if (me.role !== "replica") {
    const replicas = view.all
      .filter((e) => e.masterId === me.id)
      .map(nameOf)
      .filter(Boolean);
    throw new HttpError(
      409,
      `${node.name} is a master now, not a replica (its replicas: ${replicas.join(", ") || "none"}); CLUSTER FAILOVER runs on a replica`,
    );
  }
  const master = view.all.find((e) => e.id === me.masterId);
  const promotedFrom = nameOf(master);
  if (me.masterId && mode !== "takeover") await untilClusterAgrees(all, me.id, me.masterId, password, Date.now() + AGREEMENT_WAIT_MS);
  const args = mode === "default" ? ["CLUSTER", "FAILOVER"] : ["CLUSTER", "FAILOVER", mode.toUpperCase()];
  const ask = () => withRedis({ port: node.port, password, timeoutMs: 2000 }, (r) => r.call(...(args as [string, ...string[]])));
  await ask();
  const started = Date.now();
  let askedAt = started;
  while (Date.now() - started < FAILOVER_WAIT_MS) {
    // Its own word is not enough: Redis 7.0 can "win" on stale votes and flip back 50 ms later, so
    // a promotion counts once every live node lists it as a master.
    if ((await viewOrNull(node.port, password))?.role === "master" && (await everyoneSeesMaster(all, me.id, password))) {
      return { node: node.name, promotedFrom, seconds: Math.round((Date.now() - started) / 10) / 100 };
    }
    // Redis gives a manual failover 5 s (CLUSTER_MF_TIMEOUT); one that lapsed is asked for again.
    if (Date.now() - askedAt > MF_TIMEOUT_MS + 500) {
      askedAt = Date.now();
      await ask().catch(() => {});
    }
    await sleep(100);
  }
  const hint = mode === "default" ? '; a default failover needs its master to answer: try {"mode": "force"}' : "";
  throw new HttpError(
    504,
    `${node.name} did not become master within ${FAILOVER_WAIT_MS / 1000} s of CLUSTER FAILOVER${mode === "default" ? "" : ` ${mode.toUpperCase()}`}${hint}`,
  );
}

/** Gives every node created master that is now a replica its slots back; names the nodes it promoted. */
export async function restoreCreatedMasters(nodes: ManagedProcess[], createdMasters: string[], password: string): Promise<string[]> {
  const restored: string[] = [];
  for (const name of createdMasters) {
    const node = nodes.find((n) => n.name === name);
    if (!node || (await viewOrNull(node.port, password))?.role !== "replica") continue;
    // Its current master is alive after a reset, so the coordinated failover (no data loss) is the one to use.
    await failoverTo(node, nodes, password, "default");
    restored.push(name);
  }
  return restored;
}
