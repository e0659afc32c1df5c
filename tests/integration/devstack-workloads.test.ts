/**
 * Workloads against a real sandbox: steady traffic with per-layer outcomes and percentiles,
 * and the integrity writer — which must notice an acknowledged key deleted behind its back
 * and keep writing to the new master across a real Sentinel failover.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { controlApi, masterPort, onMaster } from "./helpers/devstack-api";
import { PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const settings = testSettings(PORTS.workloads);
let state: StackState;
let control: ReturnType<typeof controlApi>;

const traffic = async () => (await control("GET", "/workloads/traffic")).body;
const integrity = async () => (await control("GET", "/workloads/integrity")).body;

beforeAll(async () => {
  state = await startStack(settings);
  control = controlApi(state);
});
afterAll(() => stopStack(settings));

describe("traffic workload", () => {
  it("sends steady traffic to every layer and reports counts, outcomes and percentiles", async () => {
    const started = await control("POST", "/workloads/traffic/start", { rps: 40 });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ running: true, rps: 40 });
    const stats = await waitFor(
      "ten requests per layer",
      async () => {
        const s = await traffic();
        return ["L1", "L2", "L3", "CP"].every((id) => s.layers[id].requests >= 10) && s;
      },
      10_000,
    );
    for (const id of ["L1", "L2", "L3", "CP"]) {
      const l = stats.layers[id];
      expect(l.errors).toBe(0);
      expect(l.ok).toBe(l.requests);
      expect(l.latencyMs.p50).toBeGreaterThan(0);
      expect(l.latencyMs.p50).toBeLessThanOrEqual(l.latencyMs.p95);
      expect(l.latencyMs.p95).toBeLessThanOrEqual(l.latencyMs.p99);
    }
    expect(Object.keys(stats.layers.L3.byStatus).sort()).toEqual(["200", "201", "204"]);
    // The fake LLM answers misses after llmLatencyMs; cache hits do not wait for it.
    expect(stats.layers.L2.latencyMs.p99).toBeGreaterThanOrEqual(settings.llmLatencyMs);
  });

  it("counts outcomes by status while Redis is cut off: L3 503s, L1 still 200", async () => {
    const before = await traffic();
    expect((await control("POST", "/proxy/cut", { ttlSeconds: 30 })).status).toBe(200);
    const during = await waitFor(
      "L3 503s under the cut",
      async () => {
        const s = await traffic();
        return (s.layers.L3.byStatus["503"] ?? 0) >= 3 && (s.layers.CP.byStatus["503"] ?? 0) >= 3 && s;
      },
      10_000,
    );
    expect(during.layers.L1.errors).toBe(before.layers.L1.errors);
    expect(during.layers.L2.errors).toBe(before.layers.L2.errors);
    expect((await control("DELETE", "/proxy/faults")).status).toBe(200);
  });

  it("stop halts traffic; start again begins fresh stats", async () => {
    expect((await control("POST", "/workloads/traffic/stop")).body.running).toBe(false);
    const settled = await waitFor(
      "in-flight requests to finish",
      async () => {
        const s = await traffic();
        return s.inFlight === 0 && s;
      },
      5000,
    );
    await new Promise((r) => setTimeout(r, 300)); // a tick or six of a stopped workload: nothing may be sent
    expect((await traffic()).layers.L1.requests).toBe(settled.layers.L1.requests);
    const restarted = await control("POST", "/workloads/traffic/start", { rps: 4 });
    expect(restarted.body.layers.L1.requests).toBe(0);
    expect((await control("POST", "/workloads/traffic/start", { rps: 0 })).status).toBe(400);
    expect((await control("POST", "/workloads/traffic/stop")).status).toBe(200);
  });
});

describe("integrity writer", () => {
  it("reports an acknowledged write that was deleted behind its back", async () => {
    const { run } = (await control("POST", "/workloads/integrity/start")).body;
    expect(run).toBeTruthy();
    await waitFor("30 acknowledged writes", async () => (await integrity()).acknowledged >= 30, 10_000);
    const clean = await integrity();
    expect(clean.verification.missing.count).toBe(0);
    expect(await onMaster(state, (r) => r.del(`chaos:integrity:${run}:17`))).toBe(1);
    const report = (await control("POST", "/workloads/integrity/stop")).body;
    expect(report.running).toBe(false);
    expect(report.verification.missing).toMatchObject({ count: 1, firstSeq: 17, lastSeq: 17, sample: [17] });
    expect(report.verification.missing.window.from).toBe(report.verification.missing.window.to);
    expect(report.acknowledged).toBeGreaterThanOrEqual(30);
  });

  it("follows a real failover: writes acknowledged after the switch are on the new master", async () => {
    await control("POST", "/workloads/integrity/start");
    await waitFor("writes flowing", async () => (await integrity()).acknowledged >= 20, 10_000);
    const before = await masterPort(state);
    expect((await control("POST", "/sentinel/failover")).status).toBe(200);
    const switched = await waitFor(
      "writer on the new master",
      async () => {
        const r = await integrity();
        return r.master !== `127.0.0.1:${before}` && r;
      },
      20_000,
    );
    await waitFor("writes acknowledged on the new master", async () => (await integrity()).acknowledged >= switched.acknowledged + 30, 10_000);
    const report = (await control("POST", "/workloads/integrity/stop")).body;
    const { missing } = report.verification;
    console.log(`failover: ${missing.count} acknowledged writes lost (seq ${missing.firstSeq}..${missing.lastSeq}), ${report.failed} writes failed`);
    expect(report.master).toBe(`127.0.0.1:${await masterPort(state)}`);
    // Whatever a failover loses, it is from before the writer saw the switch.
    expect(missing.lastSeq === null || missing.lastSeq <= switched.attempted).toBe(true);
  });
});
