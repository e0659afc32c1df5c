/**
 * One look at a deployment in the shape guardrails judge, made from the collector's snapshot (the
 * same one every page shows, so a guardrail sees what the SRE sees). Pure.
 */
import type { Snapshot } from "@/lib/snapshot/types";
import type { GuardrailObservation } from "./guardrails";

/**
 * `previous`: the last observation, so a probe that has not run again since (a probe with
 * `everyMs`) is not counted twice in a failure ratio.
 */
export function observationOf(s: Snapshot, previousProbeAt: Record<string, string | null> = {}, promql?: Record<string, boolean>): GuardrailObservation {
  const master = s.redis.nodes.find((n) => n.role === "master" && n.up);
  return {
    at: Date.parse(s.at),
    layers: Object.fromEntries(
      s.layers.map((l) => {
        const fresh = l.observed.at !== null && l.observed.at !== previousProbeAt[l.id];
        // A probe failed when the layer did not answer or answered unavailable; degraded is an answer.
        const probeOk = fresh ? l.observed.reachable && l.observed.state !== "unavailable" : null;
        return [l.id, { status: l.status, probeOk }];
      }),
    ),
    firingAlerts: s.alerts.filter((a) => a.firing).map((a) => ({ rule: a.rule, severity: a.severity })),
    memory: master ? { used: master.usedMemory, max: master.maxmemory || null } : null,
    ...(promql ? { promql } : {}),
  };
}

/** When each layer's probe last ran, to pass back as `previousProbeAt`. */
export function probeTimes(s: Snapshot): Record<string, string | null> {
  return Object.fromEntries(s.layers.map((l) => [l.id, l.observed.at]));
}

/**
 * The layers a scenario is meant to disturb: `layer-not-ok` leaves them out (an outage takes every
 * layer off ok by design), so it guards what the scenario should not touch. A guardrail that names
 * its layers overrides this.
 */
export const LAYERS_DISTURBED: Record<string, "all" | "none"> = {
  outage: "all",
  "restart-under-load": "all",
  failover: "all",
  "data-integrity": "all",
  "connection-exhaustion": "all",
  latency: "none",
  "memory-pressure": "none",
};

export function layersInScope(scenario: string, layerIds: string[]): string[] {
  return (LAYERS_DISTURBED[scenario] ?? "all") === "all" ? layerIds : [];
}
