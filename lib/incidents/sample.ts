/** A snapshot reduced to what the incident fold reads (the store keeps no whole snapshots). Pure. */
import type { Snapshot } from "../snapshot/types";
import type { StateSample } from "./types";

export function stateSample(s: Snapshot): StateSample {
  return {
    at: s.at,
    layers: s.layers.map((l) => ({ id: l.id, status: l.status, violation: l.violation })),
    firing: s.alerts.filter((a) => a.firing).map((a) => ({ rule: a.rule, severity: a.severity })),
    redisAvailable: s.redis.available,
    nodesDown: s.redis.nodes.filter((n) => !n.up).map((n) => n.id),
    failovers: (s.sentinel.history ?? []).map((r) => ({
      id: r.id,
      endedAt: r.endedAt,
      newMaster: r.newMasterNode ?? r.newMaster,
      durationMs: r.durationMs,
      phases: r.phases,
    })),
  };
}
