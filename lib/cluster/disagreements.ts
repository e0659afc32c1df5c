/**
 * Nodes that disagree about the cluster: a different cluster_state, a different count of known
 * nodes, or an epoch behind the others. Gossip settles these within a moment, so a sentence is
 * given only for a disagreement seen on two looks in a row (the caller keeps the last one). Pure.
 */
import type { ClusterNodeView } from "../snapshot/cluster-types";

/** The most common value (the first seen wins a tie); null for none. */
export function majority<T>(values: T[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

/** One sentence per disagreeing node, keyed by node id (so the caller can confirm it on the next look). */
export function disagreementsOf(views: ClusterNodeView[]): Map<string, string> {
  const up = views.filter((v) => v.up && v.state !== null);
  const out = new Map<string, string>();
  if (up.length < 2) return out;
  const state = majority(up.map((v) => v.state));
  const known = majority(up.map((v) => v.knownNodes));
  const epoch = Math.max(...up.map((v) => v.currentEpoch ?? 0));
  for (const v of up) {
    const why: string[] = [];
    if (v.state !== state) why.push(`says cluster_state:${v.state} while the others say ${state}`);
    if (v.knownNodes !== known) why.push(`knows ${v.knownNodes} nodes, the others ${known}`);
    if ((v.currentEpoch ?? 0) < epoch) why.push(`is at epoch ${v.currentEpoch}, the others at ${epoch}`);
    if (why.length) out.set(v.id, `${v.id} ${why.join("; ")}`);
  }
  return out;
}
