import { describe, expect, it } from "vitest";
import { matchState, summarizeRequests } from "../config/probe-match";
import { SANDBOX_PROBES } from "../config/sandbox-probes";
import type { LayerObservation, ProbeRequest } from "../snapshot/types";
import type { LayerId } from "./failure-contract";
import { judgeLayer } from "./judge";

type Seen = Pick<ProbeRequest, "status" | "headers" | "json" | "skipped">;
const r = (name: string, status: number | null, more: Partial<Seen> = {}): ProbeRequest => ({ name, status, ...more });
const json = (name: string, status: number, values: Record<string, unknown>) => r(name, status, { json: values });
const skipped = (name: string) => r(name, null, { skipped: "no value for {create.id}" });

/** An observation of a sandbox layer as the probe engine builds it, rules evaluated by the sandbox probe config. */
function observe(id: LayerId, requests: ProbeRequest[]): LayerObservation {
  const probe = SANDBOX_PROBES[id];
  const { state, rules } = matchState(probe, requests);
  return { reachable: true, latencyMs: 3, requests, state, rules, summary: summarizeRequests(probe, requests), at: new Date().toISOString(), everyMs: null };
}
const unreachable: LayerObservation = {
  reachable: false,
  error: "timeout after 800 ms",
  latencyMs: null,
  requests: [],
  state: "unavailable",
  rules: {},
  summary: "layer not answering: timeout after 800 ms",
  at: null,
  everyMs: null,
};

/** What each layer answers when it keeps its contract, with Redis up and with Redis down. */
const healthy: Record<LayerId, ProbeRequest[]> = {
  L1: [r("gateway", 200, { headers: { "x-ratelimit-status": "ok" } })],
  L2: [json("completion", 200, { budget: "enforced" }), json("health", 200, { status: "ok" })],
  L3: [r("create", 201), r("read", 200), r("delete", 204), json("health", 200, { status: "ok" })],
  CP: [json("health", 200, { status: "ok" }), r("portal", 200)],
};
const duringOutage: Record<LayerId, ProbeRequest[]> = {
  L1: [r("gateway", 200, { headers: { "x-ratelimit-status": "degraded" } })],
  L2: [json("completion", 200, { budget: "skipped" }), json("health", 200, { status: "degraded" })],
  L3: [r("create", 503), skipped("read"), skipped("delete"), json("health", 503, { status: "unavailable" })],
  CP: [json("health", 200, { status: "degraded" }), r("portal", 503)],
};
/** The four misbehave modes of the sandbox, during an outage. */
const misbehaving: Record<LayerId, ProbeRequest[]> = {
  L1: [r("gateway", 500)], // fail-closed
  L2: [json("completion", 200, { budget: "skipped" }), json("health", 200, { status: "ok" })], // hide-degradation
  L3: [r("create", 201), r("read", 404), r("delete", 404), json("health", 503, { status: "unavailable" })], // fail-open
  CP: [json("health", 200, { status: "ok" }), r("portal", 503)], // lie-in-health
};
const OUTAGE: Record<LayerId, string> = { L1: "degraded", L2: "degraded", L3: "unavailable", CP: "degraded" };
const IDS = ["L1", "L2", "L3", "CP"] as LayerId[];

describe("judgeLayer with the sandbox probe config", () => {
  it.each(IDS)("%s with Redis up and healthy answers: ok, agrees", (id) => {
    const j = judgeLayer(id, observe(id, healthy[id]), true);
    expect(j).toMatchObject({ status: "ok", expected: "ok", agrees: true });
    expect(j.checks.length).toBeGreaterThan(1);
    expect(j.checks.every((c) => c.ok)).toBe(true);
  });

  it.each(IDS)("%s during an outage keeping its contract: its outage state, agrees", (id) => {
    const j = judgeLayer(id, observe(id, duringOutage[id]), false);
    expect(j).toMatchObject({ status: OUTAGE[id], expected: OUTAGE[id], agrees: true });
    expect(j.checks.every((c) => c.ok)).toBe(true);
  });

  it.each(IDS)("%s misbehaving during an outage disagrees, and the failed checks say what was seen", (id) => {
    const j = judgeLayer(id, observe(id, misbehaving[id]), false);
    expect(j.agrees).toBe(false);
    expect(j.status).not.toBe(OUTAGE[id]);
    expect(j.checks.filter((c) => !c.ok).length).toBeGreaterThan(1);
  });

  it("evidence: L1 failing closed is 500 where 200 + X-RateLimit-Status: degraded was expected", () => {
    const failed = judgeLayer("L1", observe("L1", misbehaving.L1), false).checks.filter((c) => !c.ok);
    expect(failed[0]).toMatchObject({ expect: "gateway 200, X-RateLimit-Status: degraded", observed: "gateway 500, X-RateLimit-Status: (none)" });
    expect(failed[1]).toMatchObject({ state: true, observed: expect.stringMatching(/^unavailable: gateway 500/) });
  });

  it("evidence: L2 hiding its degradation says health ok while the budget is skipped", () => {
    const j = judgeLayer("L2", observe("L2", misbehaving.L2), false);
    expect(j.status).toBe("unknown");
    expect(j.checks.find((c) => !c.ok)!.observed).toBe('health 200, status = "ok"');
    expect(j.summary).toBe("completion 200 budget=skipped · health 200 status=ok");
  });

  it("evidence: L3 failing open shows the read's 404 after a 201", () => {
    const failed = judgeLayer("L3", observe("L3", misbehaving.L3), false).checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.observed)).toContain("create 201");
    expect(failed.at(-1)!.observed).toContain("read 404");
  });

  it("evidence: CP lying in health is ok health with a 503 portal call", () => {
    const j = judgeLayer("CP", observe("CP", misbehaving.CP), false);
    expect(j.checks.find((c) => !c.ok)!).toMatchObject({ expect: 'health status = "degraded"', observed: 'health 200, status = "ok"' });
  });

  it.each(IDS)("%s still degraded after Redis is back disagrees", (id) => {
    expect(judgeLayer(id, observe(id, duringOutage[id]), true).agrees).toBe(false);
  });

  it.each(IDS)("%s not answering is unavailable with the reason", (id) => {
    const j = judgeLayer(id, unreachable, true);
    expect(j.status).toBe("unavailable");
    expect(j.agrees).toBe(false);
    expect(j.summary).toContain("timeout after 800 ms");
  });

  it("L1 answering 429 with Redis up is ok: rate limiting works", () => {
    expect(judgeLayer("L1", observe("L1", [r("gateway", 429, { headers: { "x-ratelimit-status": "ok" } })]), true)).toMatchObject({
      status: "ok",
      agrees: true,
    });
  });

  it("before Redis's state is known, nothing is claimed", () => {
    expect(judgeLayer("L3", observe("L3", duringOutage.L3), null)).toMatchObject({ status: "unavailable", expected: "unknown", agrees: true, checks: [] });
    expect(judgeLayer("L3", null, null).status).toBe("unknown");
  });

  it("a probe without a rule for the expected state cannot agree", () => {
    const obs = { ...observe("L1", duringOutage.L1), rules: { ok: [] } };
    const j = judgeLayer("L1", obs, false);
    expect(j.agrees).toBe(false);
    expect(j.checks[0]).toMatchObject({ observed: "none configured", ok: false });
  });
});
