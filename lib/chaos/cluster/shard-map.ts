/**
 * The cluster as a chaos run reads it from its nodes' own views: shards named "shard-1"… by
 * lowest slot (as the console's Cluster page names them, so a promotion does not rename one),
 * each with its master and replicas by sandbox name; which shard a slot is on; who reports
 * what. Pure.
 */
import type { ClusterNodeEntry } from "../../contract/cluster-info";

export interface NodeLook {
  name: string;
  port: number;
  answering: boolean;
  error: string | null;
  /** cluster_state as this node sees it. */
  state: string | null;
  /** cluster_current_epoch as this node knows it. */
  currentEpoch: number | null;
  /** Its own line of CLUSTER NODES. */
  myself: ClusterNodeEntry | null;
  view: ClusterNodeEntry[];
}

export interface ClusterLook {
  at: number;
  nodes: NodeLook[];
}

export interface ShardRef {
  name: string;
  slots: [number, number][];
  /** Sandbox names of the master serving the slots and of its replicas. */
  master: string;
  replicas: string[];
}

/** Sandbox name of a node id, matched by port in any node's view. */
function nameOf(look: ClusterLook, id: string | null): string | null {
  if (!id) return null;
  for (const n of look.nodes) {
    const e = n.view.find((x) => x.id === id);
    if (e) return look.nodes.find((m) => m.port === e.port)?.name ?? `${e.host}:${e.port}`;
  }
  return null;
}

/** The view to read the topology from: an answering node with cluster_state ok, else any answering one. */
function bestView(look: ClusterLook): ClusterNodeEntry[] {
  const answering = look.nodes.filter((n) => n.answering && n.view.length);
  return (answering.find((n) => n.state === "ok") ?? answering[0])?.view ?? [];
}

/** Shards by lowest slot: "shard-1" holds slot 0 on a fresh cluster. */
export function shardsOf(look: ClusterLook): ShardRef[] {
  const view = bestView(look);
  return view
    .filter((e) => e.role === "master" && e.slots.length)
    .sort((a, b) => Math.min(...a.slots.map((s) => s[0])) - Math.min(...b.slots.map((s) => s[0])))
    .map((m, i) => ({
      name: `shard-${i + 1}`,
      slots: m.slots,
      master: nameOf(look, m.id) ?? m.id,
      replicas: view.filter((e) => e.role === "replica" && e.masterId === m.id).map((r) => nameOf(look, r.id) ?? r.id),
    }));
}

export function shardOfSlot(shards: ShardRef[], slot: number): ShardRef | null {
  return shards.find((s) => s.slots.some(([a, b]) => slot >= a && slot <= b)) ?? null;
}

/** The role a node reports for itself; null when it does not answer. */
export function ownRole(look: ClusterLook, name: string): "master" | "replica" | "unknown" | null {
  return look.nodes.find((n) => n.name === name)?.myself?.role ?? null;
}

/** A replica's master as the replica itself reports it (sandbox name). */
export function ownMaster(look: ClusterLook, name: string): string | null {
  return nameOf(look, look.nodes.find((n) => n.name === name)?.myself?.masterId ?? null);
}

/** Every node that answers reports cluster_state:ok (and at least one answers). */
export function everyAnsweringOk(look: ClusterLook): boolean {
  const answering = look.nodes.filter((n) => n.answering);
  return answering.length > 0 && answering.every((n) => n.state === "ok");
}

/** Answering nodes that report cluster_state other than ok. */
export function nodesInFail(look: ClusterLook): string[] {
  return look.nodes.filter((n) => n.answering && n.state !== "ok").map((n) => n.name);
}

/** Some answering node flags `name` as failing: "fail" (agreed) wins over "pfail" (one node's suspicion). */
export function flaggedAs(look: ClusterLook, name: string): "fail" | "pfail" | null {
  const port = look.nodes.find((n) => n.name === name)?.port;
  let worst: "fail" | "pfail" | null = null;
  for (const n of look.nodes)
    for (const e of n.view)
      if (e.port === port && !e.myself && e.failing) {
        if (e.failing === "fail") return "fail";
        worst = "pfail";
      }
  return worst;
}

/** The first look at or after `from` in which some answering node reports cluster_state other than ok, and the node. */
export function firstClusterFail(looks: ClusterLook[], from: number): { at: number; node: string } | null {
  for (const l of looks) {
    if (l.at < from) continue;
    const failing = nodesInFail(l);
    if (failing.length) return { at: l.at, node: failing[0] };
  }
  return null;
}

/**
 * Every node answers, knows the same current epoch, and sees every other as that node sees
 * itself (role, master, config epoch). Right after a failover or a reset this takes a second or
 * two: a shard map read before can show a master without its replica, and a CLUSTER FAILOVER
 * started before is undone by the newer epoch (the replica wins its election, then turns back).
 * Empty when they agree.
 */
export function viewsAgree(look: ClusterLook): string[] {
  const disagreements: string[] = [];
  const epochs = new Set(look.nodes.filter((n) => n.answering).map((n) => n.currentEpoch));
  if (epochs.size > 1) disagreements.push(`the nodes know different current epochs (${[...epochs].join(", ")})`);
  for (const n of look.nodes) {
    if (!n.answering || !n.myself) {
      disagreements.push(`${n.name} does not answer`);
      continue;
    }
    for (const m of look.nodes) {
      const seen = m.view.find((e) => e.port === n.port);
      if (m === n || !m.answering || !seen) continue;
      if (seen.role !== n.myself.role || seen.masterId !== n.myself.masterId)
        disagreements.push(`${m.name} sees ${n.name} as ${seen.role}, it says ${n.myself.role}`);
      else if (seen.configEpoch !== n.myself.configEpoch)
        disagreements.push(`${m.name} sees ${n.name} at config epoch ${seen.configEpoch}, it says ${n.myself.configEpoch}`);
    }
  }
  return disagreements;
}
