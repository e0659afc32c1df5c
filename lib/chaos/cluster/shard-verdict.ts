/**
 * Per-shard verdicts from the run's own tenant calls: while one shard is down, the tenants
 * whose keys live there should see each layer's contract behaviour, and the tenants on the
 * other shards should be served normally. When they are not, the observed text says when it
 * began and what the cluster said then (cluster_state fail with full coverage required is the
 * usual reason, and a real finding). Pure.
 */
import type { LayerId } from "../../contract/failure-contract";
import type { CheckInput } from "../verdict";
import type { ClaimId } from "../types";
import { describeGroups, subjectLabel } from "./shard-tenants";
import { agreement, CONTRACT_PHRASE, NORMAL_PHRASE } from "../../contract/verdict-rules";
import type { TenantSample } from "./tenant-traffic";

/** What the run's cluster watch saw, for the explanation of failures outside the shard under test. */
export interface ClusterEvents {
  /** When the fault was made (epoch ms). */
  faultAt: number;
  /** When an answering node first reported cluster_state other than ok, and which. */
  clusterFailAt: number | null;
  clusterFailNode: string | null;
  /** When every answering node said ok again after that; null when not seen. */
  clusterOkAt?: number | null;
  /** cluster-require-full-coverage as the nodes are configured; null when it could not be read. */
  fullCoverage: boolean | null;
}

const secs = (from: number, to: number) => `${(Math.max(0, to - from) / 1000).toFixed(1)} s`;

/** A duration the run's own ~100 ms poll measured: "7.71 s" (not the collector's tick, so never "< 1 tick"). */
export function inSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(2)} s`;
}

/** "0.28 s after cluster_state ok" or "0.90 s before cluster_state ok". */
export function relativeTo(at: number, ref: number, what: string): string {
  return `${inSeconds(Math.abs(at - ref))} ${at >= ref ? "after" : "before"} ${what}`;
}

/** "200 degraded 14/16, timeout 2/16": every outcome with its count, most frequent first. */
export function tallyOutcomes(samples: TenantSample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(s.text, (counts.get(s.text) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([text, n]) => `${text} ${n}/${samples.length}`)
    .join(", ");
}

/** The earliest time from which every later sample is normal (a served read of a lost session counts); null when the last is not. */
export function recoveredAt(samples: TenantSample[]): number | null {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  let from: number | null = null;
  for (const s of sorted) {
    const served = s.kind === "normal" || s.kind === "lost";
    if (!served) from = null;
    else from ??= s.at;
  }
  return from;
}

function clusterFailLine(e: ClusterEvents, served = false): string {
  if (e.clusterFailAt === null) return "cluster_state stayed ok on every answering node";
  const okAgain = e.clusterOkAt ? secs(e.faultAt, e.clusterOkAt) : null;
  const first = e.clusterFailNode ?? "a node";
  // Calls served through it: the layer's client rode it out, which is worth saying, not explaining away.
  if (served)
    return `cluster_state was fail from ${secs(e.faultAt, e.clusterFailAt)}${okAgain ? ` to ${okAgain}` : ""} after the fault (${first} first), and none of these calls failed`;
  const coverage =
    e.fullCoverage === true
      ? ": cluster-require-full-coverage is yes, so every node stops serving once a shard's slots have no master that answers"
      : e.fullCoverage === false
        ? " (cluster-require-full-coverage is no)"
        : "";
  return `cluster_state went fail ${secs(e.faultAt, e.clusterFailAt)} after the fault (${first} first${okAgain ? `; ok again at ${okAgain}` : ""})${coverage}`;
}

/** Tenants on the shard that is down: each layer's contract behaviour, over the hold. */
export function affectedCheck(layer: LayerId, shard: string, subjects: string[], samples: TenantSample[], claim: ClaimId = "outage-contract"): CheckInput {
  const mine = samples.filter((s) => s.layer === layer && s.shard === shard);
  const list = subjects.map(subjectLabel).join(", ");
  const who = layer === "L3" ? `sessions on ${shard} (${list})` : `tenants on ${shard} (${list})`;
  const expect = `${who}: ${layer} ${CONTRACT_PHRASE[layer]}`;
  if (!mine.length)
    return { claim, layer, shard, expect, observed: "no call was made", notExercised: `no ${layer} call for ${shard}'s tenants during the hold` };
  return { claim, layer, shard, expect, observed: `calls: ${tallyOutcomes(mine)}`, ok: agreement(mine.map((s) => s.kind === "contract")).held === true };
}

/** Tenants on every other shard: served normally, every call, for as long as the fault lasted. */
export function othersCheck(layer: LayerId, groups: Record<string, string[]>, samples: TenantSample[], events: ClusterEvents): CheckInput {
  const shards = Object.keys(groups);
  const mine = samples.filter((s) => s.layer === layer && shards.includes(s.shard)).sort((a, b) => a.at - b.at);
  const expect = `${layer === "L3" ? "sessions" : "tenants"} on the other shards (${describeGroups(groups)}): ${layer} serves normally (${NORMAL_PHRASE[layer]}) throughout`;
  const claim: ClaimId = "shard-isolation";
  const shard = "other shards";
  if (!mine.length)
    return { claim, layer, shard, expect, observed: "no call was made", notExercised: `no ${layer} call for the other shards' tenants during the fault` };
  const failed = mine.filter((s) => s.kind !== "normal");
  if (!failed.length)
    return { claim, layer, shard, expect, observed: `every call served normally (${tallyOutcomes(mine)}); ${clusterFailLine(events, true)}`, ok: true };
  const first = failed[0];
  // An L2 completion also reads its prompt's cache entry, which lives on whichever shard the prompt hashes to.
  const crossShard =
    layer === "L2" && failed.some((s) => s.text.includes("cache bypassed"))
      ? "; a completion also reads its prompt's cache entry, on the shard the prompt hashes to: with that shard down the cache is bypassed and the budget skipped too"
      : "";
  const observed =
    `${mine.length - failed.length}/${mine.length} calls served normally; from ${secs(events.faultAt, first.at)} after the fault ${failed.length} were not ` +
    `(${tallyOutcomes(failed)}, first on ${first.shard})${crossShard}; ${clusterFailLine(events)}`;
  return { claim, layer, shard, expect, observed, ok: false };
}
