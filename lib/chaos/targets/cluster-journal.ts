import "server-only";
/**
 * Undoes a Redis Cluster dev stack's fault journal, newest entry first, and checks afterwards
 * that the cluster is as the journal found it. A key lives on whichever master serves its slot
 * now, so the run's marker, lock and filler are undone and checked there (a failover may have
 * moved them); a failover is undone by failing back, so every shard's master is the one before.
 */
import type Redis from "ioredis";
import { parseClusterNodes } from "../../contract/cluster-info";
import type { ConnectionAuth } from "../../redis/connection-auth";
import type { JournalEntry, JournalFile, NodeAddress } from "../journal";
import { addr, withClient } from "./connect";
import { releaseClusterLock } from "./cluster-opt-in";
import { ownerOf } from "./cluster-topology";
import { unlinkMatching } from "./fill";
import { waitForPause } from "./restore";

export interface ClusterAccess {
  auth: ConnectionAuth;
  timeoutMs: number;
}

/** How long a failback may take before the restore says it did not happen (a manual failover takes well under a second). */
const FAILBACK_WAIT_MS = 30_000;
/** A CLUSTER FAILOVER the cluster dropped (an epoch race) is asked again this often while the bound lasts. */
const FAILBACK_ASK_EVERY_MS = 5000;

/** The role a node reports for itself in its own CLUSTER NODES; null when it does not answer. */
export async function ownRole(node: NodeAddress, auth: ConnectionAuth, timeoutMs: number): Promise<"master" | "replica" | "unknown" | null> {
  const text = await withClient(node, auth, timeoutMs, (r) => r.call("CLUSTER", "NODES")).catch(() => null);
  return text === null ? null : (parseClusterNodes(String(text)).find((e) => e.myself)?.role ?? null);
}

async function failBack(e: Extract<JournalEntry, { kind: "failback" }>, a: ClusterAccess): Promise<string> {
  if ((await ownRole(e.node, a.auth, a.timeoutMs)) === "master") return `${addr(e.node)} is its shard's master (roles as before)`;
  const started = Date.now();
  let askedAt = 0;
  for (;;) {
    if (Date.now() - askedAt >= FAILBACK_ASK_EVERY_MS) {
      askedAt = Date.now();
      await withClient(e.node, a.auth, a.timeoutMs, (r) => r.call("CLUSTER", "FAILOVER")).catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 200));
    if ((await ownRole(e.node, a.auth, a.timeoutMs)) === "master")
      return `CLUSTER FAILOVER on ${addr(e.node)}: master again after ${((Date.now() - started) / 1000).toFixed(1)} s (roles as before)`;
    if (Date.now() - started > FAILBACK_WAIT_MS) throw new Error(`${addr(e.node)} is not master again ${FAILBACK_WAIT_MS / 1000} s after CLUSTER FAILOVER`);
  }
}

/**
 * Runs fn on the master serving `key`'s slot now. The view read may lag a failover by a gossip
 * round, so one MOVED answer is followed to the node it names.
 */
async function onOwner<T>(key: string, j: JournalFile, e: JournalEntry, a: ClusterAccess, fn: (r: Redis, owner: NodeAddress) => Promise<T>): Promise<T> {
  const owner = await ownerOf(key, [...(j.topology?.nodes ?? []), e.node], a.auth, a.timeoutMs);
  try {
    return await withClient(owner, a.auth, a.timeoutMs, (r) => fn(r, owner));
  } catch (err) {
    const moved = /MOVED \d+ (\S+):(\d+)/.exec((err as Error).message);
    if (!moved) throw err;
    const to = { host: moved[1], port: Number(moved[2]) };
    return withClient(to, a.auth, a.timeoutMs, (r) => fn(r, to));
  }
}

/** The key an entry's slot is read from: the marker's or lock's key, the filler's pattern (its tag is what hashes). */
const keyOf = (e: Extract<JournalEntry, { kind: "marker" | "lock" | "filler" }>) => (e.kind === "filler" ? e.pattern : e.key);

async function undo(e: JournalEntry, j: JournalFile, a: ClusterAccess): Promise<string> {
  if (e.kind === "pause") return waitForPause(e);
  if (e.kind === "failback") return failBack(e, a);
  if (e.kind === "config")
    return withClient(e.node, a.auth, a.timeoutMs, async (r) => {
      await r.call("CONFIG", "SET", e.name, e.original);
      return `CONFIG SET ${e.name} ${e.original} on ${addr(e.node)}`;
    });
  if (e.kind !== "marker" && e.kind !== "lock" && e.kind !== "filler") return `${e.kind} on ${addr(e.node)}: nothing to send`;
  return onOwner(keyOf(e), j, e, a, async (r, owner) => {
    if (e.kind === "lock") {
      await releaseClusterLock(r, e.key, e.runId);
      return `${e.key} released on ${addr(owner)}`;
    }
    if (e.kind === "marker") {
      // Left as it was found: the run only re-creates what its own pressure evicted.
      if (e.original === null) await r.unlink(e.key);
      else await r.set(e.key, e.original);
      return `${e.key} as found on ${addr(owner)}`;
    }
    return `${await unlinkMatching(r, e.pattern)} filler keys (${e.pattern}) deleted on ${addr(owner)}`;
  });
}

export async function restoreClusterJournal(j: JournalFile, a: ClusterAccess): Promise<{ done: string[]; failed: string[] }> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const e of [...j.entries].reverse()) {
    try {
      done.push(await undo(e, j, a));
    } catch (err) {
      failed.push(`${e.kind} on ${addr(e.node)}: ${(err as Error).message}`);
    }
  }
  return { done, failed };
}

async function differs(e: JournalEntry, j: JournalFile, a: ClusterAccess): Promise<string | null> {
  if (e.kind === "pause")
    return withClient(e.node, a.auth, a.timeoutMs, (r) => r.ping()).then(
      () => null,
      (err: Error) => `${addr(e.node)} does not answer PING (still paused?): ${err.message}`,
    );
  if (e.kind === "failback") {
    const [m, r] = [await ownRole(e.node, a.auth, a.timeoutMs), await ownRole(e.replica, a.auth, a.timeoutMs)];
    return m === "master" && r === "replica"
      ? null
      : `${addr(e.node)} is ${m ?? "not answering"} and ${addr(e.replica)} is ${r ?? "not answering"}: roles not as before`;
  }
  if (e.kind === "config")
    return withClient(e.node, a.auth, a.timeoutMs, async (r) => {
      const [, now] = (await r.call("CONFIG", "GET", e.name)) as string[];
      return now === e.original ? null : `${e.name} on ${addr(e.node)} is ${now}, was ${e.original}`;
    });
  if (e.kind !== "marker" && e.kind !== "lock" && e.kind !== "filler") return null;
  return onOwner(keyOf(e), j, e, a, async (r, owner) => {
    if (e.kind === "lock") return (await r.get(e.key)) === e.runId ? `${e.key} on ${addr(owner)} is still held by ${e.runId}` : null;
    if (e.kind === "marker") {
      const now = await r.get(e.key);
      return now === e.original ? null : `${e.key} on ${addr(owner)} is ${now ?? "absent"}, was ${e.original ?? "absent"}`;
    }
    let [cursor, left] = ["0", 0];
    do {
      const [next, keys] = (await r.scan(cursor, "MATCH", e.pattern, "COUNT", 1000)) as [string, string[]];
      [cursor, left] = [next, left + keys.length];
    } while (cursor !== "0");
    return left ? `${left} filler keys (${e.pattern}) left on ${addr(owner)}` : null;
  });
}

/** What differs from the journal's originals: config, marker, lock, filler, roles; empty when restored. */
export async function clusterPostflight(j: JournalFile, a: ClusterAccess): Promise<string[]> {
  const problems: string[] = [];
  for (const e of j.entries) {
    const p = await differs(e, j, a).catch((err: Error) => `post-flight of ${e.kind} on ${addr(e.node)}: ${err.message}`);
    if (p) problems.push(p);
  }
  for (const m of j.topology?.masters ?? []) {
    const role = await ownRole(m, a.auth, a.timeoutMs);
    if (role !== "master") problems.push(`${addr(m)} was a master when the run began and is ${role ?? "not answering"} now`);
  }
  return problems;
}
