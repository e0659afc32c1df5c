/**
 * Folds the snapshots seen during a run into per-layer facts: when each layer first reached a
 * status, and how often it agreed with the contract. Pure.
 */
import type { LayerId, LayerStatus } from "../contract/failure-contract";
import type { Snapshot } from "../snapshot/types";

export interface LayerTally {
  samples: number;
  agreed: number;
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
  const out: Partial<Record<LayerId, LayerTally>> = {};
  const summaries = new Map<LayerId, Map<string, number>>();
  for (const s of snapshots.filter(when)) {
    for (const l of s.layers) {
      const t = (out[l.id] ??= { samples: 0, agreed: 0, typicalSummary: "", failedChecks: [] });
      t.samples++;
      if (l.agrees) t.agreed++;
      else for (const c of l.checks.filter((c) => !c.ok)) if (!t.failedChecks.includes(c.observed)) t.failedChecks.push(c.observed);
      const m = summaries.get(l.id) ?? new Map<string, number>();
      m.set(l.summary, (m.get(l.summary) ?? 0) + 1);
      summaries.set(l.id, m);
    }
  }
  for (const [id, m] of summaries) out[id]!.typicalSummary = [...m.entries()].sort((a, b) => b[1] - a[1])[0][0];
  return out;
}
