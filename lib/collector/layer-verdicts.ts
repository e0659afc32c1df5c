/**
 * Turns each tick's contract judgement of a layer into its snapshot entry, remembering since
 * when it disagrees: a disagreement becomes a violation only once it outlasts the grace period
 * (a layer settling after Redis came back is not in breach).
 *
 * A probe with `everyMs` is judged against Redis as it was when that probe ran (an answer
 * taken with Redis up is not a breach because Redis fell since), and only until the result is
 * older than twice `everyMs`.
 */
import type { LayerId } from "../contract/failure-contract";
import { judgeLayer } from "../contract/judge";
import type { LayerObservation, LayerSnapshot, Snapshot } from "../snapshot/types";

const NOT_PROBED: LayerObservation = {
  reachable: false,
  latencyMs: null,
  requests: [],
  state: "unknown",
  rules: {},
  summary: "not probed yet",
  error: "not probed yet",
  at: null,
  everyMs: null,
};

export class LayerVerdicts {
  /** Since when each layer disagrees, and with how many distinct probe results. */
  private disagreeSince = new Map<LayerId, { since: number; results: Set<string | null> }>();
  /** Per layer: the probe result last seen and Redis's state at the tick it arrived. */
  private redisAtProbe = new Map<LayerId, { at: string | null; redisUp: boolean | null }>();

  constructor(private readonly graceMs: () => number) {}

  /** The layer's entry for this tick. */
  judge(id: LayerId, obs: LayerObservation | null, redisUp: boolean | null, prev: Snapshot, nowIso: string): LayerSnapshot {
    const now = Date.parse(nowIso);
    let seenUp = redisUp;
    if (obs) {
      const known = this.redisAtProbe.get(id);
      if (!known || known.at !== obs.at) this.redisAtProbe.set(id, { at: obs.at, redisUp });
      else seenUp = known.redisUp;
    }
    const ageMs = obs?.at ? now - Date.parse(obs.at) : null;
    const stale = !!obs?.everyMs && ageMs !== null && ageMs > 2 * obs.everyMs;
    const j = stale
      ? {
          status: "unknown" as const,
          expected: "unknown" as const,
          checks: [],
          agrees: true,
          summary: `no fresh probe result: the last is ${Math.round(ageMs! / 1000)} s old (probed every ${obs!.everyMs! / 1000} s)`,
        }
      : judgeLayer(id, obs, seenUp);
    const p = prev.layers.find((l) => l.id === id);
    if (j.agrees) this.disagreeSince.delete(id);
    else if (!this.disagreeSince.has(id)) this.disagreeSince.set(id, { since: now, results: new Set([obs?.at ?? null]) });
    else this.disagreeSince.get(id)!.results.add(obs?.at ?? null);
    const d = this.disagreeSince.get(id);
    const since = !p || p.status !== j.status ? nowIso : p.since;
    // A layer that does not answer at all is down, not in breach: the contract speaks of how it answers.
    // Two probe results at least: a slow-cadence probe caught mid-change must be confirmed by the next.
    const violation = !j.agrees && !!obs?.reachable && !!d && d.results.size >= 2 && now - d.since >= this.graceMs();
    return {
      id,
      status: j.status,
      expected: j.expected,
      agrees: j.agrees,
      violation,
      since,
      summary: j.summary,
      observed: obs ?? NOT_PROBED,
      checks: j.checks,
      judgedWithRedisUp: stale ? null : seenUp,
    };
  }
}
