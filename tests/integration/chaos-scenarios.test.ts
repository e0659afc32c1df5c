/**
 * The five scenarios beyond outage, each run end to end through the console's HTTP API on a
 * real devstack (down-after-milliseconds 2000): shapes, real measured values, and a healthy
 * stack after every run. Params are small so the file stays within a few minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun, ScenarioInfo } from "../../lib/chaos/types";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import { checksOf, num, runScenario, startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings } from "./helpers/stack";

const TOKEN = "chaos-scenarios-operator-token-0123456789";

function healthyAfter(run: ChaosRun): void {
  expect(run.postflight, `post-flight of ${run.id}: ${run.error ?? ""}`).toEqual({ healthy: true, problems: [] });
  expect(run.steps.find((s) => s.name === "restore the stack")?.state).toBe("done");
}

describe("chaos scenarios through the console API", () => {
  const settings = testSettings(PORTS.chaosScenarios);
  let app: RunningConsole;

  beforeAll(async () => {
    await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.chaosScenarios, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  it("lists every scenario with its parameters, claims and planned steps; refuses bad params with the field's rule", async () => {
    const { body } = await app.get<{ scenarios: (ScenarioInfo & { unavailable?: boolean })[] }>("/api/chaos/scenarios");
    for (const id of ["latency", "memory-pressure", "restart-under-load", "data-integrity", "failover"]) {
      const s = body.scenarios.find((x) => x.id === id)!;
      expect(s.unavailable, id).toBeUndefined();
      expect(s.params.length, id).toBeGreaterThan(0);
      expect(s.claims.length, id).toBeGreaterThan(0);
      expect(s.steps.slice(-2), id).toEqual(["restore the stack", "post-flight check"]);
    }
    const tooFast = await startRun(app, TOKEN, "latency", { ms: 5 });
    expect(tooFast.status).toBe(400);
    expect(tooFast.body.error).toMatch(/ms must be at least 10/);
    const unknown = await startRun(app, TOKEN, "memory-pressure", { fillTo: 99 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/fillTo/);
    const badMode = await startRun(app, TOKEN, "data-integrity", { mode: "pray" });
    expect(badMode.body.error).toMatch(/mode must be "restart".*"failover"/);
  });

  it("latency: L1's P99 rises above the injected 100 ms and is judged against the guide's ~120 ms+ and the 50 ms target", async () => {
    const run = await runScenario(app, TOKEN, "latency", { ms: 100, durationSeconds: 4 });
    healthyAfter(run);
    const p99 = num(run, "p99_L1_ms");
    expect(p99).toBeGreaterThan(100);
    expect(num(run, "baseline_p99_L1_ms")).toBeLessThan(p99);
    for (const id of LAYER_IDS) expect(num(run, `p99_${id}_ms`), id).toBeGreaterThan(100);
    const [claim, target] = checksOf(run, "latency-l1-p99");
    expect(claim.ok).toBe(p99 >= 108);
    expect(claim.observed).toContain(`L1 P99 ${p99} ms`);
    expect(target).toMatchObject({ ok: true, observed: `${p99} ms: target missed` });
    expect(run.metrics.l1_p99_target_met).toBe("no");
    expect(run.state).toBe(claim.ok ? "passed" : "failed");
  });

  it("memory-pressure: Redis evicts under allkeys-lru; the seeded sessions and cache entries are checked as a tenant sees them", async () => {
    const run = await runScenario(app, TOKEN, "memory-pressure", { durationSeconds: 3, seeds: 100 });
    healthyAfter(run);
    const evicted = num(run, "evicted_keys");
    expect(evicted).toBeGreaterThan(0);
    expect(num(run, "fill_percent")).toBeGreaterThanOrEqual(99);
    const lostSessions = num(run, "sessions_lost_older") + num(run, "sessions_lost_newer");
    const [sessions] = checksOf(run, "sessions-preserved");
    expect(sessions.ok).toBe(lostSessions === 0);
    expect(sessions.observed).toMatch(lostSessions ? /of 100 seeded sessions lost .*allkeys-lru evicts any key/ : /all 100 seeded sessions still readable/);
    const older = num(run, "cache_lost_older");
    const newer = num(run, "cache_lost_newer");
    const lru = checksOf(run, "lru-oldest-first");
    if (older + newer > 0 && older + newer < 100) expect(lru[0].ok).toBe(older > newer);
    else expect(run.checks.some((c) => c.observed.startsWith("not exercised"))).toBe(true);
    expect(run.steps.find((s) => s.name === "fill memory")?.detail).toMatch(/keys evicted/);
  });

  it("restart-under-load: L1 and L2 answer every request, L3 and CP fail for about a second, and every layer recovers", async () => {
    const run = await runScenario(app, TOKEN, "restart-under-load", { rps: 40 });
    healthyAfter(run);
    expect(num(run, "errors_L1")).toBe(0);
    expect(num(run, "errors_L2")).toBe(0);
    expect(num(run, "errors_L3")).toBeGreaterThan(0);
    for (const id of LAYER_IDS) expect(num(run, `requests_${id}`), id).toBeGreaterThan(10);
    const recovery = checksOf(run, "recovery-2-3s");
    expect(recovery.map((c) => c.layer)).toEqual([...LAYER_IDS]);
    for (const c of recovery) expect(c.ok).toBe(num(run, `recovery_${c.layer}_s`) <= 3);
    expect(num(run, "failing_for_L3_s")).toBeLessThan(num(run, "recovery_L3_s") + 1);
  });

  it("data-integrity (restart): acknowledged writes survive kill -9 and a restart on the AOF", async () => {
    const run = await runScenario(app, TOKEN, "data-integrity", { mode: "restart" });
    healthyAfter(run);
    expect(num(run, "acknowledged")).toBeGreaterThan(num(run, "acknowledged_before_kill"));
    const [rpo] = checksOf(run, "rpo-1s");
    expect(rpo.ok).toBe(num(run, "lost_window_ms") <= 1000);
    expect(rpo.observed).toMatch(/acknowledged writes lost/);
  });

  it("failover (sentinel): a planned SENTINEL FAILOVER switches the master; lost writes are counted", async () => {
    const run = await runScenario(app, TOKEN, "failover", { method: "sentinel" });
    healthyAfter(run);
    expect(num(run, "switch_s")).toBeLessThanOrEqual(30);
    expect(typeof run.metrics.new_master).toBe("string");
    expect(num(run, "lost_writes")).toBeGreaterThanOrEqual(0);
    expect(checksOf(run, "failover-automatic").every((c) => c.ok)).toBe(true);
  });

  it("data-integrity (failover): Sentinel promotes the replica after the kill; the loss is held against the 1 s RPO", async () => {
    const run = await runScenario(app, TOKEN, "data-integrity", { mode: "failover" });
    healthyAfter(run);
    const promotion = num(run, "promotion_s");
    expect(promotion).toBeGreaterThan(1); // down-after-milliseconds is 2 s here
    expect(promotion).toBeLessThan(45);
    expect(checksOf(run, "rpo-1s")[0].ok).toBe(num(run, "lost_window_ms") <= 1000);
  });

  it("failover (kill): detection, switch and client recovery are timed in order; the old master rejoins by the post-flight", async () => {
    const before = (await app.snapshot()).sentinel.master.addr;
    const run = await runScenario(app, TOKEN, "failover", { method: "kill" });
    healthyAfter(run);
    expect(run.state).toBe("passed");
    const detect = num(run, "detect_s");
    const sw = num(run, "switch_s");
    expect(detect).toBeLessThanOrEqual(sw);
    expect(sw).toBeGreaterThan(1);
    expect(num(run, "recovery_all_s")).toBeGreaterThanOrEqual(sw);
    expect(run.metrics.new_master).not.toBe(before);
    expect(num(run, "acknowledged")).toBeGreaterThan(0);
    expect(checksOf(run, "failover-automatic")).toHaveLength(1 + LAYER_IDS.length);
    const snap = await app.snapshot();
    expect(snap.redis.nodes.every((n) => n.up)).toBe(true);
  });
});
