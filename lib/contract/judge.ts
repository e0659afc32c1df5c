/**
 * Contract judgement: given what a probe saw of a layer (the state its rules matched, with the
 * evidence) and whether Redis is up for the layers, what does the guide expect, and does the
 * layer keep its promise? Pure; the collector and the chaos runner both use it.
 */
import type { ContractCheck, LayerObservation } from "../snapshot/types";
import { FAILURE_CONTRACT, type LayerId, type LayerStatus } from "./failure-contract";

export interface LayerJudgement {
  status: LayerStatus;
  expected: LayerStatus;
  checks: ContractCheck[];
  agrees: boolean;
  summary: string;
}

/** The status a layer shows, from its answers alone. */
export function observedStatus(obs: LayerObservation): LayerStatus {
  return obs.reachable ? obs.state : "unavailable";
}

/** What the contract expects of `id` with Redis up or down. */
export function expectedStatus(id: LayerId, redisUp: boolean): LayerStatus {
  return redisUp ? "ok" : FAILURE_CONTRACT[id].statusDuringOutage;
}

/**
 * The checks: the expected state's conditions one by one (which request, what was seen), then
 * the state itself, since an earlier state in the order unavailable, degraded, ok may win.
 */
function checksFor(id: LayerId, obs: LayerObservation, expected: LayerStatus, status: LayerStatus): ContractCheck[] {
  const contract = redisUp(expected) ? "Redis up" : `Redis down: ${FAILURE_CONTRACT[id].outageBehaviour}`;
  const stateCheck: ContractCheck = {
    expect: `${id} ${expected} (${contract})`,
    observed: status === "unknown" ? `no matching state: ${obs.summary}` : `${status}: ${obs.summary}`,
    ok: status === expected,
    state: true,
  };
  if (!obs.reachable) return [stateCheck];
  const rules = obs.rules[expected as "ok" | "degraded" | "unavailable"];
  if (!rules) return [{ expect: `a "${expected}" rule in ${id}'s probe config`, observed: "none configured", ok: false }, stateCheck];
  return [...rules.map((r) => ({ expect: r.expect, observed: r.seen, ok: r.holds })), stateCheck];
}

const redisUp = (expected: LayerStatus) => expected === "ok";

/** Judges one layer. `redisUp` is Redis as the layers saw it when the probe ran; null means not known yet. */
export function judgeLayer(id: LayerId, obs: LayerObservation | null, up: boolean | null): LayerJudgement {
  if (!obs) return { status: "unknown", expected: up === null ? "unknown" : expectedStatus(id, up), checks: [], agrees: true, summary: "not probed yet" };
  const status = observedStatus(obs);
  if (up === null) return { status, expected: "unknown", checks: [], agrees: true, summary: obs.summary };
  const expected = expectedStatus(id, up);
  const checks = checksFor(id, obs, expected, status);
  return { status, expected, checks, agrees: checks.every((c) => c.ok), summary: obs.summary };
}
