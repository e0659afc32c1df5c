import "server-only";
/**
 * Restoring the cluster sandbox after a run, and what the post-flight checks that the snapshot
 * cannot show: the sandbox's reset (faults undone, filler removed, every node back in the role
 * it was created with), then the run's sequenced keys deleted on every master; afterwards, each
 * node's own role against the state file, no fault left, no filler or integrity key on any node.
 */
import type Redis from "ioredis";
import { readClusterState } from "../../contract/cluster-state";
import { FILLER_PREFIX, INTEGRITY_PREFIX } from "../../contract/failure-contract";
import type { ClusterControlClient as ClusterControl } from "../../contract/cluster-control-client";
import { ClusterReader } from "./cluster-reader";
import { ownMaster, ownRole } from "./shard-map";

const SCAN_BUDGET_MS = 5000;
/** Post-flight reads get more time than a poll: nothing is failing now, and a miss would be a false problem. */
const READ_TIMEOUT_MS = 2000;

/** Keys of `prefix` on one node, by a bounded SCAN (never KEYS). */
async function keysWith(redis: Redis, prefix: string): Promise<string[]> {
  const started = Date.now();
  const found = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    for (const k of keys) found.add(k);
  } while (cursor !== "0" && Date.now() - started < SCAN_BUDGET_MS);
  return [...found];
}

/**
 * Reset, then the integrity keys: the reset answers once the replicas are linked, so the deletes
 * reach them too. The keys are deleted even when the reset failed (the post-flight then says
 * what is left); they carry a TTL besides.
 */
export async function restoreCluster(dir: string, control: ClusterControl): Promise<string> {
  const reset = await control.reset().catch((err: Error) => err);
  const reader = ClusterReader.forDir(dir, READ_TIMEOUT_MS);
  try {
    const look = await reader.look();
    let deleted = 0;
    const failed: string[] = [];
    for (const n of look.nodes.filter((x) => x.myself?.role === "master")) {
      try {
        const redis = await reader.ready(n.name);
        const keys = await keysWith(redis, INTEGRITY_PREFIX);
        // One key per UNLINK: a multi-key command across slots is refused (CROSSSLOT).
        if (keys.length) await keys.reduce((p, k) => p.unlink(k), redis.pipeline()).exec();
        deleted += keys.length;
      } catch (err) {
        failed.push(`${n.name} (${(err as Error).message})`);
      }
    }
    const keysLine = `${deleted} integrity keys deleted${failed.length ? `; could not delete them on ${failed.join(", ")}` : ""}`;
    if (reset instanceof Error) throw new Error(`${reset.message}; ${keysLine}`);
    if (failed.length) throw new Error(keysLine);
    const undone = reset.undone.length ? `undone ${reset.undone.join(", ")}` : "no fault was active";
    return `cluster reset in ${(reset.tookMs / 1000).toFixed(1)} s (${undone}); ${keysLine}`;
  } finally {
    reader.close();
  }
}

/** Roles not as created, faults still active, filler or integrity keys on any node; empty when restored. Never throws. */
export async function clusterLeftovers(dir: string, control: ClusterControl): Promise<string[]> {
  const state = readClusterState(dir);
  if (!state) return ["the cluster sandbox is not running (no cluster-state.json)"];
  const problems: string[] = [];
  const reader = ClusterReader.forDir(dir, READ_TIMEOUT_MS);
  try {
    const look = await reader.look();
    for (const n of state.nodes) {
      const role = ownRole(look, n.name);
      if (role === null) problems.push(`${n.name} does not answer`);
      else if (role !== n.createdRole) problems.push(`${n.name} is ${role}, created as ${n.createdRole ?? "?"}`);
      else if (role === "replica" && ownMaster(look, n.name) !== n.createdReplicaOf)
        problems.push(`${n.name} replicates ${ownMaster(look, n.name) ?? "?"}, created as the replica of ${n.createdReplicaOf ?? "?"}`);
    }
    const faults = await control.faults().catch((err: Error) => {
      problems.push(`the cluster's faults could not be listed: ${err.message}`);
      return [];
    });
    if (faults.length) problems.push(`faults still active: ${faults.map((f) => `${f.kind} on ${f.target}`).join(", ")}`);
    for (const n of look.nodes.filter((x) => x.answering)) {
      for (const prefix of [FILLER_PREFIX, INTEGRITY_PREFIX]) {
        const left = await keysWith(await reader.ready(n.name), prefix).catch(() => null);
        if (left === null) problems.push(`${n.name} could not be scanned for ${prefix}* keys`);
        else if (left.length) problems.push(`${n.name} still holds ${left.length} ${prefix}* keys`);
      }
    }
  } catch (err) {
    problems.push(`the post-flight could not read the cluster: ${(err as Error).message}`);
  } finally {
    reader.close();
  }
  return problems;
}
