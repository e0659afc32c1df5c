/** Builds the snapshot's node entries from samples. Pure. */
import type { NodeSnapshot } from "../snapshot/types";
import type { NodeSample } from "./node-sampler";

/** Every node's entry for a push; `since` moves when a node came up, went down or changed role. */
export function nodeSnapshots(samples: NodeSample[], prev: NodeSnapshot[], nowIso: string): NodeSnapshot[] {
  return samples.map((s) => {
    const p = prev.find((n) => n.id === s.id);
    const changed = !p || p.up !== s.up || (s.up && p.role !== (s.info.role === "master" || s.info.role === "replica" ? s.info.role : "unknown"));
    return nodeSnapshot(s, p, changed ? nowIso : p.since);
  });
}

/** A node's snapshot entry; a down node keeps its last known role and numbers, marked down. */
export function nodeSnapshot(sample: NodeSample, prev: NodeSnapshot | undefined, since: string): NodeSnapshot {
  if (!sample.up) {
    const base: NodeSnapshot = prev ?? {
      id: sample.id,
      addr: sample.addr,
      role: "unknown",
      up: false,
      since,
      usedMemory: 0,
      maxmemory: 0,
      evictedKeys: 0,
      expiredKeys: 0,
      connectedClients: 0,
      keyspaceHits: 0,
      keyspaceMisses: 0,
      totalCommands: 0,
      opsPerSec: 0,
      latestForkUsec: 0,
      fragmentationRatio: null,
      keys: 0,
      masterAddr: null,
      masterLinkUp: null,
      replOffset: 0,
      aofLastWriteStatus: "ok",
      rdbLastBgsaveStatus: "ok",
      aofDelayedFsync: 0,
      uptimeSeconds: 0,
    };
    const { problem: _old, ...rest } = base;
    return { ...rest, up: false, error: sample.error, ...(sample.problem ? { problem: sample.problem } : {}), since };
  }
  const i = sample.info;
  return {
    id: sample.id,
    addr: sample.addr,
    role: i.role === "master" || i.role === "replica" ? i.role : "unknown",
    up: true,
    since,
    usedMemory: i.usedMemory,
    maxmemory: i.maxmemory,
    evictedKeys: i.evictedKeys,
    expiredKeys: i.expiredKeys,
    connectedClients: i.connectedClients,
    keyspaceHits: i.keyspaceHits,
    keyspaceMisses: i.keyspaceMisses,
    totalCommands: i.totalCommands,
    opsPerSec: i.opsPerSec,
    latestForkUsec: i.latestForkUsec,
    fragmentationRatio: i.fragmentationRatio,
    keys: i.keys,
    masterAddr: i.masterAddr,
    masterLinkUp: i.masterLinkUp,
    replOffset: i.role === "replica" ? (i.replicaReplOffset ?? 0) : i.masterReplOffset,
    aofLastWriteStatus: i.aofLastWriteStatus,
    rdbLastBgsaveStatus: i.rdbLastBgsaveStatus,
    aofDelayedFsync: i.aofDelayedFsync,
    uptimeSeconds: i.uptimeSeconds,
  };
}

/** The metrics point a node contributes to the history at this tick. */
export function nodePoint(n: NodeSnapshot) {
  if (!n.up) {
    return {
      up: false,
      role: n.role,
      usedMemory: null,
      maxmemory: null,
      evictedKeys: null,
      expiredKeys: null,
      keyspaceHits: null,
      keyspaceMisses: null,
      connectedClients: null,
      totalCommands: null,
      opsPerSec: null,
      latestForkUsec: null,
      fragmentationRatio: null,
    };
  }
  return {
    up: true,
    role: n.role,
    usedMemory: n.usedMemory,
    maxmemory: n.maxmemory,
    evictedKeys: n.evictedKeys,
    expiredKeys: n.expiredKeys,
    keyspaceHits: n.keyspaceHits,
    keyspaceMisses: n.keyspaceMisses,
    connectedClients: n.connectedClients,
    totalCommands: n.totalCommands,
    opsPerSec: n.opsPerSec,
    latestForkUsec: n.latestForkUsec,
    fragmentationRatio: n.fragmentationRatio,
  };
}
