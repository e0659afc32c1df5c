import { describe, expect, it } from "vitest";
import type { LayerObservation, ProbeRequest } from "../snapshot/types";
import type { LayerId } from "./failure-contract";
import { judgeLayer } from "./judge";

const req = (name: string, status: number | null, headers?: Record<string, string>): ProbeRequest => ({ name, status, headers });
const obs = (requests: ProbeRequest[], health: LayerObservation["health"] = null): LayerObservation => ({ reachable: true, latencyMs: 3, requests, health });
const health = (httpStatus: number, status: string) => ({ httpStatus, status });
const unreachable: LayerObservation = { reachable: false, error: "timeout after 800 ms", latencyMs: null, requests: [], health: null };

/** What each layer answers when it keeps its contract, with Redis up and with Redis down. */
const healthy: Record<LayerId, LayerObservation> = {
  L1: obs([req("GET /", 200, { "x-ratelimit-status": "ok" })]),
  L2: obs([req("POST /v1/completions", 200)], health(200, "ok")),
  L3: obs([req("POST /sessions", 201), req("GET /sessions/:id", 200), req("DELETE /sessions/:id", 204)], health(200, "ok")),
  CP: obs([req("GET /tenants/:id", 200)], health(200, "ok")),
};
const duringOutage: Record<LayerId, LayerObservation> = {
  L1: obs([req("GET /", 200, { "x-ratelimit-status": "degraded" })]),
  L2: obs([req("POST /v1/completions", 200)], health(200, "degraded")),
  L3: obs([req("POST /sessions", 503)], health(503, "unavailable")),
  CP: obs([req("GET /tenants/:id", 503)], health(200, "degraded")),
};
/** Layers breaking the contract during an outage. */
const brokenDuringOutage: Record<LayerId, LayerObservation> = {
  L1: obs([req("GET /", 500)]), // fails closed instead of open
  L2: obs([req("POST /v1/completions", 502)], health(200, "degraded")), // refuses instead of calling the LLM
  L3: obs([req("POST /sessions", 201), req("GET /sessions/:id", 200), req("DELETE /sessions/:id", 204)], health(200, "ok")), // claims success: lying
  CP: obs([req("GET /tenants/:id", 200)], health(200, "ok")), // health hides the outage
};

describe("judgeLayer", () => {
  it.each(["L1", "L2", "L3", "CP"] as LayerId[])("%s with Redis up and healthy answers: ok, agrees", (id) => {
    const j = judgeLayer(id, healthy[id], true);
    expect(j).toMatchObject({ status: "ok", expected: "ok", agrees: true });
    expect(j.checks.length).toBeGreaterThan(0);
    expect(j.checks.every((c) => c.ok)).toBe(true);
  });

  it.each([
    ["L1", "degraded"],
    ["L2", "degraded"],
    ["L3", "unavailable"],
    ["CP", "degraded"],
  ] as [LayerId, string][])("%s during an outage keeping its contract: %s, agrees", (id, status) => {
    const j = judgeLayer(id, duringOutage[id], false);
    expect(j).toMatchObject({ status, expected: status, agrees: true });
    expect(j.checks.every((c) => c.ok)).toBe(true);
  });

  it.each(["L1", "L2", "L3", "CP"] as LayerId[])("%s breaking its contract during an outage is a disagreement", (id) => {
    const j = judgeLayer(id, brokenDuringOutage[id], false);
    expect(j.agrees).toBe(false);
    expect(j.checks.some((c) => !c.ok)).toBe(true);
  });

  it.each(["L1", "L2", "L3", "CP"] as LayerId[])("%s still degraded after Redis is back disagrees", (id) => {
    expect(judgeLayer(id, duringOutage[id], true).agrees).toBe(false);
  });

  it.each(["L1", "L2", "L3", "CP"] as LayerId[])("%s not answering is unavailable with the reason", (id) => {
    const j = judgeLayer(id, unreachable, true);
    expect(j.status).toBe("unavailable");
    expect(j.agrees).toBe(false);
    expect(j.summary).toContain("timeout after 800 ms");
  });

  it("L1 answering 429 with Redis up is ok: rate limiting works", () => {
    expect(judgeLayer("L1", obs([req("GET /", 429, { "x-ratelimit-status": "ok" })]), true)).toMatchObject({ status: "ok", agrees: true });
  });

  it("before Redis's state is known, nothing is claimed", () => {
    expect(judgeLayer("L3", duringOutage.L3, null)).toMatchObject({ status: "unavailable", expected: "unknown", agrees: true, checks: [] });
    expect(judgeLayer("L3", null, null).status).toBe("unknown");
  });

  it("names the evidence in the checks", () => {
    const [check] = judgeLayer("L1", brokenDuringOutage.L1, false).checks;
    expect(check.expect).toMatch(/X-RateLimit-Status: degraded/);
    expect(check.observed).toMatch(/^500/);
  });
});
