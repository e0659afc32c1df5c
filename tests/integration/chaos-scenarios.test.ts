/**
 * The five scenarios beyond outage, each run end to end through the console's HTTP API on a
 * real devstack (down-after-milliseconds 2000). Each test reads the stack as it finds it (who
 * is master, Redis's own counters) before its run, so the tests hold in any order, and checks
 * the run's numbers against what happened rather than against the run's own verdict.
 */
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun, ScenarioInfo, ScorecardEntry } from "../../lib/chaos/types";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import { recoveryHeld } from "../../lib/contract/verdict-rules";
import type { StackState } from "../../devstack/state";
import { checksOf, finishedRun, num, runScenario, startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "chaos-scenarios-operator-token-0123456789";

function healthyAfter(run: ChaosRun): void {
  expect(run.postflight, `post-flight of ${run.id}: ${run.error ?? ""}`).toEqual({ healthy: true, problems: [] });
  expect(run.steps.find((s) => s.name === "restore the stack")?.state).toBe("done");
}

/** The master and its replica as the console sees them now (not assumed to be redis-a and redis-b). */
async function roles(app: RunningConsole): Promise<{ master: { id: string; addr: string; port: number }; replica: { id: string; addr: string } }> {
  // A console just started has no tick yet: wait for one that sees both.
  const snap = await waitFor(
    "a snapshot with a master and a replica",
    async () => {
      const s = await app.snapshot();
      return s.redis.nodes.some((n) => n.up && n.role === "master") && s.redis.nodes.some((n) => n.up && n.role === "replica") ? s : null;
    },
    30_000,
    200,
  );
  const master = snap.redis.nodes.find((n) => n.up && n.role === "master")!;
  const replica = snap.redis.nodes.find((n) => n.up && n.role === "replica")!;
  return { master: { id: master.id, addr: master.addr, port: Number(master.addr.split(":").pop()) }, replica: { id: replica.id, addr: replica.addr } };
}

/** INFO stats' evicted_keys, straight from Redis. */
async function evictedKeys(port: number, password: string): Promise<number> {
  const redis = new Redis({
    host: "127.0.0.1",
    port,
    password,
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return Number(/evicted_keys:(\d+)/.exec(await redis.info("stats"))![1]);
  } finally {
    redis.disconnect();
  }
}

describe("chaos scenarios through the console API", () => {
  // The following address: these runs judge "failover-automatic" and the 2-3 s recovery as the
  // console measures them with a Sentinel-aware address. The platform's pinned address has its
  // own file (chaos-pinned.test.ts) and the sandbox's default runs in the e2e suite.
  const settings = testSettings(PORTS.chaosScenarios, ["--layer-addressing", "follow"]);
  let app: RunningConsole;
  let state: StackState;

  beforeAll(async () => {
    state = await startStack(settings);
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
      for (const p of s.params) expect(p.help, `${id}.${p.name}`).not.toBe("");
      expect(s.claims.length, id).toBeGreaterThan(0);
      expect(s.steps[0], id).toBe("wait for steady state");
      expect(s.steps.slice(-2), id).toEqual(["restore the stack", "post-flight check"]);
    }
    // What the form offers is what the validation accepts: the bounds come from the same schema.
    const ms = body.scenarios.find((x) => x.id === "latency")!.params.find((p) => p.name === "ms")!;
    expect(ms).toMatchObject({ type: "number", default: 100, min: 10, max: 2000, unit: "ms" });
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
    const seen = JSON.stringify({ state: run.state, error: run.error, checks: run.checks, metrics: run.metrics });
    const p99 = num(run, "p99_L1_ms");
    expect(p99, seen).toBeGreaterThan(100);
    // The median moved by the injected round trip (a P99 baseline on a loaded 2-core machine can spike past it).
    const [, before, during] = /L1 P50 ([\d.]+)→([\d.]+) ms/.exec(String(run.metrics.latency_reached_layers)) ?? [];
    expect(Number(during) - Number(before), seen).toBeGreaterThanOrEqual(80);
    for (const id of LAYER_IDS) expect(num(run, `p99_${id}_ms`), id).toBeGreaterThan(100);
    // Every L1 request makes a Redis round trip, each 100 ms slower: the guide's ~120 ms+ (≥ 108 ms) is what the sandbox must show.
    expect(p99, seen).toBeGreaterThanOrEqual(108);
    const [claim, target] = checksOf(run, "latency-l1-p99");
    expect(claim, seen).toMatchObject({ verdict: "held", ok: true });
    expect(claim.observed).toContain(`L1 P99 ${p99} ms`);
    expect(target, seen).toMatchObject({ verdict: "held", observed: `${p99} ms: target missed` });
    expect(run.metrics.l1_p99_target_met).toBe("no");
    expect(run.state, seen).toBe("passed");
  });

  it("memory-pressure: Redis evicts under allkeys-lru, as many keys as its INFO counts; the seeded sessions and cache entries are checked as a tenant sees them", async () => {
    const { master } = await roles(app);
    const evictedBefore = await evictedKeys(master.port, state.password);
    const started = await startRun(app, TOKEN, "memory-pressure", { durationSeconds: 3, seeds: 100 });
    expect(started.status).toBe(202);
    // Read Redis's own counter once the run has counted, before the pressure is lifted.
    await waitFor(
      "the eviction count",
      async () => (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body.steps.find((s) => s.name === "count keys and evictions")?.state === "done",
      120_000,
      100,
    );
    const evictedByRedis = (await evictedKeys(master.port, state.password)) - evictedBefore;
    const run = await finishedRun(app, started.id);
    healthyAfter(run);
    const evicted = num(run, "evicted_keys");
    expect(evicted).toBeGreaterThan(0);
    // The run counts between its own two INFO reads, inside the window this test reads around it (where the layers' probes may evict a few more).
    expect(evicted).toBeLessThanOrEqual(evictedByRedis);
    expect(evicted).toBeGreaterThanOrEqual(Math.floor(evictedByRedis * 0.9));
    expect(num(run, "fill_percent")).toBeGreaterThanOrEqual(99);
    const lostSessions = num(run, "sessions_lost_older") + num(run, "sessions_lost_newer");
    const [sessions] = checksOf(run, "sessions-preserved");
    // allkeys-lru evicts any key: a fill to 100 % takes sessions with the cache (measured: 71 of 100). The guide's claim is refuted.
    expect(lostSessions).toBeGreaterThan(0);
    expect(sessions.verdict).toBe("refuted");
    expect(sessions.observed).toMatch(/of 100 seeded sessions lost .*allkeys-lru evicts any key/);
    const older = num(run, "cache_lost_older");
    const newer = num(run, "cache_lost_newer");
    const [lru] = checksOf(run, "lru-oldest-first");
    // LRU's sampling is approximate, but the older half goes first by far (measured: 22 of 50 against 5 of 50).
    expect(older).toBeGreaterThan(newer);
    expect(lru.verdict).toBe("held");
    // The refuted session claim fails the run.
    expect(run.state).toBe("failed");
    expect(run.steps.find((s) => s.name === "fill memory")?.detail).toContain(`${evicted} keys evicted`);
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
    // L1 and L2 failed no request: not exercised, or held when their health probe caught the restart
    // (measured: "L1 ok after 0.91 s (still failing at 0.78 s)"). L3 and CP failed, so their recovery
    // was exercised and judged by the guide's 2-3 s: how long redis-rs' reconnect takes is a
    // measurement (0.4-3.9 s on this machine, longer when the restart is slow), so the verdict is
    // checked against the measured time, not assumed held.
    expect(recovery.slice(0, 2).map((c) => [c.layer, c.verdict])).toEqual([
      ["L1", expect.stringMatching(/^(not-exercised|held)$/)],
      ["L2", expect.stringMatching(/^(not-exercised|held)$/)],
    ]);
    for (const c of recovery.slice(2)) {
      const secs = num(run, `recovery_${c.layer}_s`);
      console.log(`[measured] restart-under-load: ${c.layer} ok again ${secs} s after the restart began → ${c.verdict}`);
      expect([c.layer, c.verdict]).toEqual([c.layer, recoveryHeld(secs) ? "held" : "refuted"]);
    }
    expect(num(run, "failing_for_L3_s")).toBeGreaterThan(0);
  });

  it("data-integrity (restart): a process crash loses no acknowledged write; the 1 s RPO is not exercised, and that shows in the run, report, scorecard and metrics", async () => {
    const { master } = await roles(app);
    const run = await runScenario(app, TOKEN, "data-integrity", { mode: "restart" });
    healthyAfter(run);
    expect(num(run, "acknowledged")).toBeGreaterThan(num(run, "acknowledged_before_kill"));
    // A restart slower than down-after-milliseconds (2 s here; a large AOF on a loaded machine) lets Sentinel fail over: the run must say so.
    const failedOver = run.metrics.failover_during_restart === "yes";
    expect((await app.snapshot()).sentinel.master.addr !== master.addr, `failover_during_restart=${run.metrics.failover_during_restart}`).toBe(failedOver);
    const [crash] = checksOf(run, "crash-no-loss");
    if (failedOver) expect(crash).toMatchObject({ verdict: "not-exercised", reason: expect.stringContaining("Sentinel failed over") });
    else {
      // Redis write()s the AOF before it replies: kill -9 of the process cannot lose an acknowledged write.
      expect(num(run, "lost_writes")).toBe(0);
      expect(crash).toMatchObject({ verdict: "held", ok: true });
    }
    const [rpo] = checksOf(run, "rpo-1s");
    expect(rpo).toMatchObject({
      verdict: "not-exercised",
      ok: false,
      reason: expect.stringContaining(failedOver ? "Sentinel failed over" : "--power-loss-aof"),
    });
    expect(run.state).toBe("failed");
    expect(run.error).toBeUndefined();
    const held = failedOver ? 0 : 1;

    const report = (await app.get<string>(`/api/chaos/runs/${run.id}/report?format=markdown`)).body;
    expect(report).toContain(`- Verdict: **FAILED** — ${held}/2 held, ${2 - held} not exercised`);
    expect(report).toMatch(/1 s of acknowledged writes is lost: \*\*not exercised\*\* — /);
    const json = (await app.get<ChaosRun>(`/api/chaos/runs/${run.id}/report?format=json`)).body;
    expect(json.checks.map((c) => c.verdict)).toEqual([failedOver ? "not-exercised" : "held", "not-exercised"]);

    const card = (await app.get<{ scorecard: ScorecardEntry[] }>("/api/chaos/scenarios")).body.scorecard;
    expect(card.find((e) => e.claim === "rpo-1s")).toMatchObject({ verdict: "not-exercised", runId: run.id, reason: rpo.reason });
    expect(card.find((e) => e.claim === "crash-no-loss")).toMatchObject({ verdict: crash.verdict, runId: run.id });

    const metrics = (await app.get<string>("/api/metrics")).body;
    const line = (name: string, labels: string) => new RegExp(`^${name}\\{${labels}[^}]*\\} (\\S+)$`, "m").exec(metrics)?.[1];
    expect(line("rrc_chaos_run_passed", 'scenario="data-integrity"')).toBe("0");
    expect(line("rrc_chaos_checks", 'scenario="data-integrity",verdict="not-exercised"')).toBe(String(2 - held));
    expect(line("rrc_chaos_checks", 'scenario="data-integrity",verdict="held"')).toBe(String(held));
    expect(line("rrc_chaos_checks_held_ratio", 'scenario="data-integrity"')).toBe(String(held / 2));
    expect(line("rrc_chaos_claim_verdict", 'claim="rpo-1s",verdict="not-exercised"')).toBe("1");
    expect(line("rrc_chaos_claim_verdict", 'claim="rpo-1s",verdict="held"')).toBe("0");
  });

  it("failover (sentinel): a planned SENTINEL FAILOVER promotes the former replica; what was lost was acknowledged during the switch", async () => {
    const { master, replica } = await roles(app);
    const run = await runScenario(app, TOKEN, "failover", { method: "sentinel" });
    healthyAfter(run);
    expect(run.metrics.new_master).toBe(replica.addr);
    expect(run.metrics.new_master).not.toBe(master.addr);
    expect(num(run, "switch_s")).toBeGreaterThan(0);
    const lost = num(run, "lost_writes");
    expect(lost).toBeLessThan(num(run, "acknowledged"));
    if (lost > 0) expect(num(run, "lost_window_ms")).toBeLessThanOrEqual((num(run, "recovery_all_s") + 1) * 1000);
    expect(checksOf(run, "failover-automatic").map((c) => c.verdict)).toEqual(["held", ...LAYER_IDS.map(() => "held")]);
  });

  it("data-integrity (failover): Sentinel promotes the former replica after the kill; the loss is held against 1 s", async () => {
    const { replica } = await roles(app);
    const run = await runScenario(app, TOKEN, "data-integrity", { mode: "failover" });
    healthyAfter(run);
    const promotion = num(run, "promotion_s");
    expect(promotion).toBeGreaterThan(1); // down-after-milliseconds is 2 s here
    expect(run.steps.find((s) => s.name === "bring a master back")?.detail).toContain(`Sentinel promoted ${replica.addr}`);
    const [loss] = run.checks;
    expect(loss.claim).toBeUndefined();
    // Replication on loopback is sub-millisecond: what a kill -9 loses was acknowledged within 1 s of it (measured: none lost).
    expect(num(run, "lost_window_ms")).toBeLessThanOrEqual(1000);
    expect(loss.verdict).toBe("held");
  });

  it("failover (kill): detection, switch and client recovery are timed in order; the former replica is master; the old one rejoins by the post-flight", async () => {
    const { master, replica } = await roles(app);
    const run = await runScenario(app, TOKEN, "failover", { method: "kill" });
    healthyAfter(run);
    expect(run.state).toBe("passed");
    const detect = num(run, "detect_s");
    const sw = num(run, "switch_s");
    expect(detect).toBeLessThanOrEqual(sw);
    expect(sw).toBeGreaterThan(1);
    expect(num(run, "recovery_all_s")).toBeGreaterThanOrEqual(sw);
    expect(run.metrics.new_master).toBe(replica.addr);
    expect(run.steps.find((s) => s.name === "trigger the failover")?.detail).toContain(`kill -9 ${master.id}`);
    expect(num(run, "acknowledged")).toBeGreaterThan(0);
    expect(checksOf(run, "failover-automatic")).toHaveLength(1 + LAYER_IDS.length);
    const snap = await app.snapshot();
    expect(snap.redis.nodes.every((n) => n.up)).toBe(true);
    expect(snap.redis.nodes.find((n) => n.id === master.id)?.role).toBe("replica");
  });
});
