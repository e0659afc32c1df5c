/**
 * Restart and data integrity on a dev stack the console did not start (issue 18), where the
 * server allows DEBUG: the master is crashed with DEBUG CRASH-AND-RECOVER while the configured
 * layer's own probe runs at the scenario's rate, and while sequenced writes run; recovery is
 * timed next to the guide's 2-3 s, acknowledged writes are read back, and the target's config and
 * keys are compared before and after. The layer is a small test server that reaches the master
 * by a fixed address with its own Redis client, as a platform's service does.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun } from "../../lib/chaos/types";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { PLAIN_SECRETS, startPlainTarget, watchedRedis, type PlainTarget } from "./helpers/plain-target";
import { CONSOLE_PORTS, PORTS } from "./helpers/stack";

const TOKEN = "integration-operator-token-devchaos-debug-0123456789";
const H = "127.0.0.1";
const LAYER_PORT = PORTS.devChaosDebug + 10;
/** L1's port, and the console-run fault proxy L1 reaches Redis through (chaos.proxy). */
const EDGE_PORT = PORTS.devChaosDebug + 12;
const PROXY_PORT = PORTS.devChaosDebug + 11;
let t: PlainTarget;
let dir: string;
let app: RunningConsole;
let layer: http.Server;
let layerRedis: Redis;
let edge: http.Server;
let edgeRedis: Redis;

const layerClient = (port: number) => {
  const r = new Redis({
    host: H,
    port,
    username: "admin",
    password: PLAIN_SECRETS.admin,
    connectTimeout: 500,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: (n) => Math.min(100 * 2 ** n, 1000),
  });
  r.on("error", () => {});
  return r;
};

/** L1 by contract (fail open): a rate-limit INCR through the console's proxy; without Redis it still answers 200, "degraded". */
function startEdge(): Promise<http.Server> {
  edgeRedis = layerClient(PROXY_PORT);
  const server = http.createServer((_req, res) => {
    const reply = (state: string) => res.writeHead(200, { "content-type": "application/json", "x-ratelimit-status": state }).end("{}");
    edgeRedis.incr("app:l1:window").then(
      () => reply("ok"),
      () => reply("degraded"),
    );
  });
  return new Promise((resolve) => server.listen(EDGE_PORT, H, () => resolve(server)));
}

/** L3 by contract (fail hard): /health writes to Redis and answers 503 when it cannot. */
function startLayer(masterPort: number): Promise<http.Server> {
  layerRedis = layerClient(masterPort);
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url !== "/health") return reply(404, { error: "not found" });
    layerRedis.set("app:l3:health", String(Date.now())).then(
      () => reply(200, { status: "ok" }),
      (err: Error) => reply(503, { status: "unavailable", error: err.message }),
    );
  });
  return new Promise((resolve) => server.listen(LAYER_PORT, H, () => resolve(server)));
}

async function targetState() {
  const m = await t.master();
  const cfg = async (name: string) => ((await t.admin(m, "CONFIG", "GET", name)) as string[])[1];
  const scan = async (pattern: string) => ((await t.admin(m, "SCAN", 0, "MATCH", pattern, "COUNT", 100000)) as [string, string[]])[1].length;
  return {
    master: m,
    maxmemory: await cfg("maxmemory"),
    policy: await cfg("maxmemory-policy"),
    appendonly: await cfg("appendonly"),
    marker: await t.admin(m, "GET", "rrc:chaos-allowed"),
    lock: await t.admin(m, "GET", "rrc:chaos-lock"),
    filler: await scan("rrc:filler:*"),
    integrity: await scan("rrc:integrity:*"),
  };
}

const check = (run: ChaosRun, claim: string, layerId?: string) => run.checks.find((c) => c.claim === claim && (layerId === undefined || c.layer === layerId));

beforeAll(async () => {
  t = await startPlainTarget(PORTS.devChaosDebug, 10_000, { debug: true });
  layer = await startLayer(await t.master());
  edge = await startEdge();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-devchaos-debug-"));
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      deployment: "devdebug",
      source: "external",
      redis: watchedRedis(t, H),
      layers: [
        {
          id: "L1",
          url: `http://${H}:${EDGE_PORT}`,
          probe: {
            requests: [{ name: "edge", method: "GET", path: "/" }],
            states: {
              ok: [{ request: "edge", status: 200, header: { "x-ratelimit-status": "ok" } }],
              degraded: [{ request: "edge", status: 200, header: { "x-ratelimit-status": "degraded" } }],
            },
          },
        },
        {
          id: "L3",
          url: `http://${H}:${LAYER_PORT}`,
          probe: {
            requests: [{ name: "health", method: "GET", path: "/health" }],
            states: { ok: [{ request: "health", status: 200 }], unavailable: [{ request: "health", status: "5xx" }] },
          },
        },
      ],
      chaos: {
        allow: true,
        username: "rrc-chaos",
        password: { from: "env", name: "RRC_CHAOS_PW" },
        proxy: { listen: { host: H, port: PROXY_PORT }, upstream: "sentinel" },
      },
    }),
  );
  app = await startConsole({
    port: CONSOLE_PORTS.devChaosDebug,
    devstackDir: path.join(dir, "none"),
    env: { OPERATOR_TOKEN: TOKEN, CONSOLE_CONFIG: path.join(dir, "config.json"), RRC_WATCH_PW: PLAIN_SECRETS.console, RRC_CHAOS_PW: PLAIN_SECRETS.chaos },
  });
  await t.admin(await t.master(), "SET", "rrc:chaos-allowed", "devdebug");
});
afterAll(async () => {
  await app?.stop().catch(() => {});
  layerRedis?.disconnect();
  layer?.close();
  edgeRedis?.disconnect();
  edge?.close();
  t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("restart and data integrity on an external target that allows DEBUG", () => {
  it("says the restart scenarios can run, and the plan names the crash before it happens", async () => {
    const { body } = await app.get<{ availability: { scenario: string; available: boolean; reason: string | null }[] }>("/api/chaos/scenarios");
    expect(body.availability.find((a) => a.scenario === "restart-under-load")).toMatchObject({ available: true });
    expect(body.availability.find((a) => a.scenario === "data-integrity")).toMatchObject({ available: true });
    const plan = await app.get<{ plan: { address: string; command: string; warning?: string }[] }>(
      `/api/chaos/plan?scenario=restart-under-load&params=${encodeURIComponent("{}")}`,
      { authorization: `Bearer ${TOKEN}` },
    );
    const crash = plan.body.plan.find((c) => c.command.startsWith("DEBUG CRASH-AND-RECOVER"));
    expect(crash).toMatchObject({ address: `${H}:${await t.master()}`, command: "DEBUG CRASH-AND-RECOVER 0" });
    // appendonly yes here: no warning that the crash empties the master.
    expect(crash?.warning).toBeUndefined();
    const bad = await startRun(app, TOKEN, "restart-under-load", { delayMs: 60_000 });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toMatch(/delayMs must be at most 5000/);
  });

  it("latency at the console's own fault proxy: L1, which reaches Redis through it, gets slower and is judged against the guide; L3, which does not, is unchanged", async () => {
    const { body } = await app.get<{ availability: { scenario: string; available: boolean; reason: string | null }[] }>("/api/chaos/scenarios");
    expect(body.availability.find((a) => a.scenario === "latency")).toMatchObject({ available: true });
    const plan = await app.get<{ plan: { address: string; command: string; restores: string }[] }>(
      `/api/chaos/plan?scenario=latency&params=${encodeURIComponent('{"ms":100}')}`,
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(plan.body.plan.find((c) => c.address === `${H}:${PROXY_PORT}`)?.restores).toMatch(/if the console dies/);
    const before = await targetState();
    const started = await startRun(app, TOKEN, "latency", { ms: 100, durationSeconds: 4 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = await finishedRun(app, started.id, 60_000);
    expect(run.error).toBeUndefined();
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    expect(Number(run.metrics.p50_rise_L1_ms)).toBeGreaterThanOrEqual(50);
    expect(Number(run.metrics.p50_rise_L3_ms)).toBeLessThan(50);
    const [claim, target] = run.checks.filter((c) => c.claim === "latency-l1-p99");
    // Every L1 request crosses the proxy's 100 ms twice or more: its P99 cannot stay under the guide's ~120 ms, nor meet 50 ms.
    expect(claim).toMatchObject({ verdict: "held", ok: true });
    expect(Number(run.metrics.l1_p99_ms)).toBeGreaterThanOrEqual(108);
    // 120 ms predicted: the guide says the 50 ms target is missed, and it is.
    expect(target).toMatchObject({ verdict: "held", observed: expect.stringContaining("target missed") });
    console.log(
      `[measured] external latency +100 ms at the console's proxy: L1 P99 ${run.metrics.l1_p99_ms} ms (baseline ${run.metrics.l1_p99_baseline_ms} ms)`,
    );
    expect(await targetState()).toEqual(before);
  });

  it("restart-under-load: the master crashed and back, the layer's probes time its recovery against 2-3 s, the target as before", async () => {
    const before = await targetState();
    const started = await startRun(app, TOKEN, "restart-under-load", { probeEveryMs: 100, watchSeconds: 5 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = await finishedRun(app, started.id, 90_000);
    expect(run.error).toBeUndefined();
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    expect(run.steps.find((s) => s.name === "crash the master")?.detail).toBe(`DEBUG CRASH-AND-RECOVER 0 on ${H}:${before.master}`);
    expect(Number(run.metrics.master_back_s)).toBeGreaterThan(0);
    // The layer's probes saw the crash (its fixed address refused or timed out), then ok again.
    const l3 = check(run, "recovery-2-3s", "L3")!;
    expect(Number(run.metrics.errors_L3), l3.observed).toBeGreaterThan(0);
    // A crash-and-recover is back within about a second: the fixed-address client reconnects inside the guide's 2-3 s.
    expect(l3.verdict, l3.observed).toBe("held");
    const l1 = check(run, "recovery-2-3s", "L1")!;
    // L1's probe may fall between the crash and the recovery (nothing failed: not exercised, and it says so); failed, it recovers.
    if (l1.verdict === "not-exercised") expect(Number(run.metrics.errors_L1)).toBe(0);
    else expect(l1.verdict, l1.observed).toBe("held");
    // The other layers are not in the config: not exercised, saying so.
    for (const id of ["L2", "CP"])
      expect(check(run, "recovery-2-3s", id)).toMatchObject({ verdict: "not-exercised", reason: expect.stringContaining("not configured") });
    console.log(
      `[measured] external restart-under-load: master back ${run.metrics.master_back_s} s after the crash, L3 ok again after ${run.metrics.recovery_L3_s} s (guide: 2-3 s)`,
    );
    expect(await targetState()).toEqual(before);
  });

  it("data-integrity (restart): a process crash loses no acknowledged write on an AOF master; the writer's keys are gone afterwards", async () => {
    const before = await targetState();
    const started = await startRun(app, TOKEN, "data-integrity", { mode: "restart" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = await finishedRun(app, started.id, 90_000);
    expect(run.error).toBeUndefined();
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    expect(Number(run.metrics.acknowledged)).toBeGreaterThan(Number(run.metrics.acknowledged_before_fault));
    expect(Number(run.metrics.acknowledged_before_fault)).toBeGreaterThan(10);
    // Redis write()s the AOF before it replies: a process crash cannot lose an acknowledged write.
    expect(run.metrics.lost_writes).toBe(0);
    expect(check(run, "crash-no-loss")).toMatchObject({ verdict: "held" });
    expect(check(run, "rpo-1s")).toMatchObject({ verdict: "not-exercised", reason: expect.stringContaining("not the machine") });
    console.log(`[measured] external data-integrity (restart): ${run.metrics.lost_writes} of ${run.metrics.acknowledged} acknowledged writes lost`);
    // The replica was re-linked before the run's keys were deleted: a copy left there would come back with a later failover.
    expect(run.steps.find((x) => x.name === "restore and post-flight")?.detail).toMatch(/answers again .*; replicas linked again/);
    expect(await targetState()).toEqual(before);
  });

  it("data-integrity (failover): Sentinel promotes the replica; the loss is held against 1 s, and the run's keys are cleaned on the new master", async () => {
    const before = await targetState();
    const started = await startRun(app, TOKEN, "data-integrity", { mode: "failover" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = await finishedRun(app, started.id, 90_000);
    expect(run.error).toBeUndefined();
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    const after = await targetState();
    expect(after.master).not.toBe(before.master);
    expect({ ...after, master: before.master }).toEqual(before);
    const bound = run.checks.find((c) => /asynchronous replication/.test(c.expect))!;
    // How much is lost depends on when Sentinel's switch lands against the writer (measured: none, or up to 4 s of writes the
    // old master took before it was demoted): the run must count them, and its verdict must say what it counted.
    expect(Number(run.metrics.acknowledged)).toBeGreaterThan(0);
    if (Number(run.metrics.lost_writes) === 0) expect(bound.verdict).toBe("held");
    else expect(bound.observed).toContain(`${run.metrics.lost_writes} of ${run.metrics.acknowledged} acknowledged writes lost`);
  });
});
