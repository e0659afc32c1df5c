/**
 * Folds the snapshots seen during a run into per-layer facts: when each layer first reached a
 * status, and how often it agreed with the contract. Pure.
 */
import type { LayerId, LayerStatus } from "../contract/failure-contract";
import type { Snapshot } from "../snapshot/types";
import { agreement, type Agreement } from "../contract/verdict-rules";

export interface LayerTally extends Agreement {
  /** The most frequent one-line summary: the evidence shown in the verdict. */
  typicalSummary: string;
  failedChecks: string[];
}

/** The first time (epoch ms) each layer showed `status`, among the given snapshots. */
export function firstReached(snapshots: Snapshot[], status: (id: LayerId) => LayerStatus): Partial<Record<LayerId, number>> {
  const out: Partial<Record<LayerId, number>> = {};
  for (const s of snapshots) {
    for (const l of s.layers) if (out[l.id] === undefined && l.status === status(l.id)) out[l.id] = Date.parse(s.at);
  }
  return out;
}

/** Per layer, how many snapshots agreed with the contract (only those where Redis was down for the layers). */
export function tallyAgreement(snapshots: Snapshot[], when: (s: Snapshot) => boolean): Partial<Record<LayerId, LayerTally>> {
  const byContract = new Map<LayerId, boolean[]>();
  const failedChecks = new Map<LayerId, string[]>();
  const summaries = new Map<LayerId, Map<string, number>>();
  for (const s of snapshots.filter(when)) {
    for (const l of s.layers) {
      byContract.set(l.id, [...(byContract.get(l.id) ?? []), l.agrees]);
      const failed = failedChecks.get(l.id) ?? [];
      if (!l.agrees) for (const c of l.checks.filter((c) => !c.ok)) if (!failed.includes(c.observed)) failed.push(c.observed);
      failedChecks.set(l.id, failed);
      const m = summaries.get(l.id) ?? new Map<string, number>();
      m.set(l.summary, (m.get(l.summary) ?? 0) + 1);
      summaries.set(l.id, m);
    }
  }
  const out: Partial<Record<LayerId, LayerTally>> = {};
  for (const [id, m] of summaries)
    out[id] = { ...agreement(byContract.get(id)!), typicalSummary: [...m.entries()].sort((a, b) => b[1] - a[1])[0][0], failedChecks: failedChecks.get(id)! };
  return out;
}
