/**
 * The replicas of the master: Sentinel's list (SENTINEL REPLICAS) enriched with the nodes' own
 * INFO for offsets and lag, or, when no sentinel answers, the nodes' INFO alone. Pure.
 */
import type { NodeInfo } from "../redis/info";
import type { ReplicaView } from "./types";

export interface NodeReading {
  id: string;
  addr: string;
  up: boolean;
  info: NodeInfo | null;
  /** Last known role when down. */
  lastRole?: string;
}

const num = (v: string | undefined): number | null => (v === undefined || v === "" || !Number.isFinite(Number(v)) ? null : Number(v));

/** The master before the latest failover, and whether it was seen converted to a replica since. */
export interface FormerMaster {
  addr: string | null;
  rejoined: boolean;
}

/** `sentinelReplicas` is SENTINEL REPLICAS as records (null when no sentinel answered). */
export function foldReplicas(
  sentinelReplicas: Record<string, string>[] | null,
  nodes: NodeReading[],
  masterAddr: string | null,
  former: FormerMaster | null,
): ReplicaView[] {
  // Rejoined: Sentinel was heard converting it, or it is plainly replicating now (the event may predate this console).
  const formerOf = (addr: string, replicating: boolean) => {
    const formerMaster = !!former && addr === former.addr;
    return { formerMaster, rejoined: formerMaster && (former!.rejoined || replicating) };
  };
  const master = nodes.find((n) => n.up && n.addr === masterAddr && n.info?.role === "master") ?? nodes.find((n) => n.up && n.info?.role === "master");
  const masterOffset = master?.info?.masterReplOffset ?? null;
  const byAddr = new Map(nodes.map((n) => [n.addr, n]));
  const enrich = (addr: string) => {
    const own = byAddr.get(addr);
    const info = own?.up ? own.info : null;
    const link = master?.info?.replicas.find((r) => r.addr === addr);
    const offset = info?.replicaReplOffset ?? link?.offset ?? null;
    return {
      id: own?.id ?? null,
      offset,
      lagBytes: masterOffset !== null && offset !== null && info?.role !== "master" ? Math.max(0, masterOffset - offset) : null,
      lagSeconds:
        link?.lagSeconds ??
        (info?.masterLastIoSecondsAgo !== null && info?.masterLastIoSecondsAgo !== undefined && info.masterLastIoSecondsAgo >= 0
          ? info.masterLastIoSecondsAgo
          : null),
      info,
      own,
    };
  };

  if (sentinelReplicas) {
    return sentinelReplicas.map((r): ReplicaView => {
      const addr = `${r.ip}:${r.port}`;
      const flags = (r.flags ?? "").split(",").filter((f) => f && f !== "slave");
      const e = enrich(addr);
      const linkDownMs = num(r["master-link-down-time"]);
      const masterHost = r["master-host"] && r["master-host"] !== "?" ? r["master-host"] : null;
      return {
        id: e.id,
        addr,
        source: "sentinel",
        up: !flags.includes("s_down") && !flags.includes("disconnected"),
        consoleReach: e.own ? e.own.up : null,
        flags,
        roleReported: r["role-reported"] ?? null,
        // The node's own INFO of this tick is fresher than Sentinel's (refreshed every 1-10 s).
        linkUp: e.info ? (e.info.role === "replica" ? e.info.masterLinkUp : null) : r["master-link-status"] ? r["master-link-status"] === "ok" : null,
        linkDownSeconds: linkDownMs && linkDownMs > 0 ? linkDownMs / 1000 : null,
        masterAddr: masterHost && Number(r["master-port"]) > 0 ? `${masterHost}:${r["master-port"]}` : null,
        offset: e.offset ?? num(r["slave-repl-offset"]),
        lagBytes: e.lagBytes,
        lagSeconds: e.lagSeconds,
        priority: num(r["slave-priority"] ?? r["replica-priority"]),
        ...formerOf(addr, e.info?.role === "replica" && e.info.masterLinkUp === true),
      };
    });
  }

  // Blind: whatever the nodes say about themselves, including replicas last seen before going down.
  const replicaNodes = nodes.filter((n) => (n.up ? n.info?.role === "replica" : n.lastRole === "replica") && n.addr !== master?.addr);
  return replicaNodes.map((n): ReplicaView => {
    const e = enrich(n.addr);
    return {
      id: n.id,
      addr: n.addr,
      source: "nodes",
      up: n.up,
      consoleReach: n.up,
      flags: [],
      roleReported: n.up ? (n.info?.role ?? null) : null,
      linkUp: e.info?.masterLinkUp ?? null,
      linkDownSeconds: null,
      masterAddr: e.info?.masterAddr ?? null,
      offset: e.offset,
      lagBytes: e.lagBytes,
      lagSeconds: e.lagSeconds,
      priority: e.info?.replicaPriority ?? null,
      ...formerOf(n.addr, e.info?.role === "replica" && e.info.masterLinkUp === true),
    };
  });
}
