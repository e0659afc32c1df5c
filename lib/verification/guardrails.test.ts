import { describe, expect, it } from "vitest";
import { firstTrip, guardrailTrip, type GuardrailObservation } from "./guardrails";

const T0 = Date.parse("2026-12-06T12:00:00Z");

function look(second: number, over: Partial<GuardrailObservation> = {}, layers: Record<string, string> = {}): GuardrailObservation {
  const base = { L1: "ok", L2: "ok", L3: "ok", CP: "ok", ...layers };
  return {
    at: T0 + second * 1000,
    layers: Object.fromEntries(Object.entries(base).map(([id, status]) => [id, { status, probeOk: status === "ok" }])),
    firingAlerts: [],
    memory: { used: 10, max: 100 },
    ...over,
  };
}

describe("guardrails", () => {
  it("layer-not-ok trips once an out-of-scope layer has been off for its duration", () => {
    const g = { kind: "layer-not-ok" as const, forSeconds: 3 };
    const history = [look(0), look(1, {}, { L1: "degraded" }), look(2, {}, { L1: "degraded" }), look(3, {}, { L1: "degraded" })];
    expect(guardrailTrip(g, history.slice(0, 3))).toBeNull(); // off for 1 s only
    expect(guardrailTrip(g, [...history, look(4, {}, { L1: "down" })])).toMatchObject({
      guardrail: "layer-not-ok",
      since: "2026-12-06T12:00:01.000Z",
      at: "2026-12-06T12:00:04.000Z",
      saw: "L1 down",
    });
  });

  it("trips once the duration is over on the guard's clock, while the latest look still shows the breach", () => {
    const g = { kind: "layer-not-ok" as const, forSeconds: 2 };
    // Looks late on a loaded machine: the next would come at 3.3 s, the run must stop at 2 s.
    const history = [look(0), look(0.9, {}, { L1: "unavailable" }), look(1.95, {}, { L1: "unavailable" })];
    expect(guardrailTrip(g, history, [], T0 + 2800)).toBeNull();
    expect(guardrailTrip(g, history, [], T0 + 2950)).toMatchObject({
      since: "2026-12-06T12:00:00.900Z",
      at: "2026-12-06T12:00:02.950Z",
      saw: "L1 unavailable",
    });
    // Not before the latest look: a clock behind it changes nothing.
    expect(guardrailTrip(g, history, [], T0)).toBeNull();
  });

  it("layer-not-ok ignores the layers the scenario is meant to disturb", () => {
    const g = { kind: "layer-not-ok" as const, forSeconds: 1 };
    const history = [look(0, {}, { L3: "down" }), look(2, {}, { L3: "down" })];
    expect(guardrailTrip(g, history, ["L3"])).toBeNull();
    expect(guardrailTrip(g, history, [])?.saw).toBe("L3 down");
  });

  it("a condition that stopped and started again counts from its restart", () => {
    const g = { kind: "memory-above" as const, ratio: 0.9, forSeconds: 2 };
    const high = { memory: { used: 95, max: 100 } };
    expect(guardrailTrip(g, [look(0, high), look(1), look(2, high), look(3, high)])).toBeNull();
    expect(guardrailTrip(g, [look(0, high), look(1), look(2, high), look(4, high)])?.saw).toMatch(/95.0 % of maxmemory/);
  });

  it("probe-failure-ratio judges a whole window against its budget", () => {
    const g = { kind: "probe-failure-ratio" as const, layer: "L2", windowSeconds: 4, budget: 0.5 };
    const bad = (s: number) => look(s, {}, { L2: "down" });
    // 3 of 5 failed in the window: above a 50 % budget.
    const history = [look(0), look(1), bad(2), bad(3), bad(4)];
    expect(guardrailTrip(g, history)?.saw).toBe("L2: 3 of 5 probes failed in 4 s (60 %, budget 50 %)");
    expect(guardrailTrip({ ...g, budget: 0.6 }, history)).toBeNull();
    // Less than a window watched: no verdict yet.
    expect(guardrailTrip(g, [bad(0), bad(1), bad(2)])).toBeNull();
  });

  it("alert and promql trip on what the run saw, filtered by rule and severity", () => {
    const firing = { firingAlerts: [{ rule: "redis_memory_high", severity: "warn" }] };
    expect(guardrailTrip({ kind: "alert", forSeconds: 0 }, [look(0, firing)])?.saw).toBe("firing: redis_memory_high (warn)");
    expect(guardrailTrip({ kind: "alert", forSeconds: 0, severity: "page" }, [look(0, firing)])).toBeNull();
    const q = 'up{job="redis"} == 0';
    expect(guardrailTrip({ kind: "promql", query: q, forSeconds: 1 }, [look(0, { promql: { [q]: true } }), look(1, { promql: { [q]: true } })])?.saw).toMatch(
      /returned a sample/,
    );
    expect(guardrailTrip({ kind: "promql", query: q, forSeconds: 1 }, [look(0, { promql: { [q]: false } }), look(1, { promql: { [q]: true } })])).toBeNull();
  });

  it("firstTrip names the first guardrail in the order listed", () => {
    const history = [look(0, { memory: { used: 99, max: 100 } }, { L1: "down" }), look(5, { memory: { used: 99, max: 100 } }, { L1: "down" })];
    const trip = firstTrip(
      [
        { kind: "memory-above", ratio: 0.95, forSeconds: 1, name: "memory" },
        { kind: "layer-not-ok", forSeconds: 1 },
      ],
      history,
    );
    expect(trip?.guardrail).toBe("memory");
  });
});
