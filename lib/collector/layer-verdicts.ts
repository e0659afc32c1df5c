/**
 * Turns each tick's contract judgement of a layer into its snapshot entry, remembering since
 * when it disagrees: a disagreement becomes a violation only once it outlasts the grace period
 * (a layer settling after Redis came back is not in breach).
 */
import type { LayerId } from "../contract/failure-contract";
import { judgeLayer } from "../contract/judge";
import type { LayerObservation, LayerSnapshot, Snapshot } from "../snapshot/types";

export class LayerVerdicts {
  private disagreeSince = new Map<LayerId, number>();

  constructor(private readonly graceMs: () => number) {}

  /** The layer's entry for this tick. */
  judge(id: LayerId, obs: LayerObservation | null, redisUp: boolean, prev: Snapshot, nowIso: string): LayerSnapshot {
    const j = judgeLayer(id, obs, redisUp);
    const p = prev.layers.find((l) => l.id === id);
    const now = Date.parse(nowIso);
    if (j.agrees) this.disagreeSince.delete(id);
    else if (!this.disagreeSince.has(id)) this.disagreeSince.set(id, now);
    const since = !p || p.status !== j.status ? nowIso : p.since;
    // A layer that does not answer at all is down, not in breach: the contract speaks of how it answers.
    const violation = !j.agrees && !!obs?.reachable && now - (this.disagreeSince.get(id) ?? now) >= this.graceMs();
    return {
      id,
      status: j.status,
      expected: j.expected,
      agrees: j.agrees,
      violation,
      since,
      summary: j.summary,
      observed: obs ?? { reachable: false, latencyMs: null, requests: [], health: null, error: "not probed yet" },
      checks: j.checks,
    };
  }
}
