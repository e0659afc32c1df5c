import { describe, expect, it } from "vitest";
import { matchState, summarizeRequests } from "../config/probe-match";
import { SANDBOX_PROBES } from "../config/sandbox-probes";
import type { LayerObservation, ProbeRequest, Snapshot } from "../snapshot/types";
import { LayerVerdicts } from "./layer-verdicts";

const probe = { ...SANDBOX_PROBES.L1, everyMs: 15_000 };
function l1(status: number, header: string, at: number): LayerObservation {
  const requests: ProbeRequest[] = [{ name: "gateway", status, headers: { "x-ratelimit-status": header } }];
  return {
    reachable: true,
    latencyMs: 2,
    requests,
    ...matchState(probe, requests),
    summary: summarizeRequests(probe, requests),
    at: new Date(at).toISOString(),
    everyMs: 15_000,
  } as LayerObservation;
}
const prev = { layers: [] } as unknown as Snapshot;
const iso = (t: number) => new Date(t).toISOString();

describe("LayerVerdicts", () => {
  it("judges a cached result against Redis as it was when the probe ran", () => {
    const v = new LayerVerdicts(() => 3000);
    const ok = l1(200, "ok", 0);
    expect(v.judge("L1", ok, true, prev, iso(0))).toMatchObject({ agrees: true, judgedWithRedisUp: true });
    // Redis falls; the same 'ok' result taken with Redis up is no breach.
    expect(v.judge("L1", ok, false, prev, iso(10_000))).toMatchObject({ agrees: true, violation: false, expected: "ok" });
  });

  it("a disagreement becomes a violation after the grace period and a second probe result", () => {
    const v = new LayerVerdicts(() => 3000);
    const bad = l1(500, "ok", 0);
    expect(v.judge("L1", bad, false, prev, iso(0))).toMatchObject({ agrees: false, violation: false });
    expect(v.judge("L1", bad, false, prev, iso(5000)).violation).toBe(false); // one result only
    const again = l1(500, "ok", 15_000);
    expect(v.judge("L1", again, false, prev, iso(15_000))).toMatchObject({ violation: true, status: "unavailable", expected: "degraded" });
    expect(v.judge("L1", l1(200, "degraded", 30_000), false, prev, iso(30_000))).toMatchObject({ agrees: true, violation: false });
  });

  it("a result older than twice everyMs is not judged", () => {
    const v = new LayerVerdicts(() => 3000);
    const j = v.judge("L1", l1(200, "ok", 0), true, prev, iso(31_000));
    expect(j).toMatchObject({ status: "unknown", agrees: true, checks: [] });
    expect(j.summary).toContain("31 s old");
  });
});
