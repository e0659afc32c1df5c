import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { Snapshot } from "../../lib/snapshot/types";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { ALL_OK, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings } from "./helpers/stack";

/** The console must answer within this deadline whatever is broken (every call it makes has a shorter timeout). */
const DEADLINE_MS = 2000;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

/** /api/health and /api/snapshot both answer 200 within the deadline; returns the snapshot. */
async function answersPromptly(app: RunningConsole): Promise<Snapshot> {
  const health = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(DEADLINE_MS) });
  expect(health.status).toBe(200);
  const snap = await fetch(`${app.url}/api/snapshot`, { signal: AbortSignal.timeout(DEADLINE_MS) });
  expect(snap.status).toBe(200);
  return snap.json();
}

describe("reliability matrix: the console keeps serving and says what is wrong", () => {
  const settings = testSettings(PORTS.reliability);
  let state: StackState;
  let app: RunningConsole;
  let rssBefore = 0;

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.reliability, devstackDir: settings.dir });
    await waitForSnapshot(app.url, "healthy", ALL_OK);
    rssBefore = rssMb(app.pid);
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  /**
   * Every case starts from a settled stack: both nodes up, one master, the sentinels naming it,
   * every layer ok. A kill and a reset may have failed over, and a restarted old master says
   * "master" for 10-20 s until Sentinel demotes it: a case that froze that one would freeze the wrong node.
   */
  const settled = (s: Snapshot) => {
    const masters = s.redis.nodes.filter((n) => n.up && n.role === "master");
    return ALL_OK(s) && s.redis.nodes.every((n) => n.up) && masters.length === 1 && s.sentinel.reachable === 3 && s.sentinel.master.addr === masters[0].addr;
  };
  let master = "";
  beforeEach(async () => {
    const s = await waitForSnapshot(app.url, "a settled stack (one master the sentinels name, all layers ok)", settled, 60_000);
    master = s.redis.nodes.find((n) => n.role === "master")!.id;
  });
  // A failed case must not leave its fault to the next one (each also undoes its own when it passes).
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail") await control(state, "POST", "/reset");
  });

  it("master killed", async () => {
    const killed = master;
    await control(state, "POST", `/nodes/${killed}/kill`, { ttlSeconds: 60 });
    await waitForSnapshot(app.url, "master down", (s) => s.redis.nodes.some((n) => n.id === killed && !n.up && /refused|not connected/.test(n.error ?? "")));
    await answersPromptly(app);
    await control(state, "POST", "/reset");
  });

  it("master frozen (SIGSTOP)", async () => {
    await control(state, "POST", `/nodes/${master}/freeze`, { ttlSeconds: 60 });
    const frozen = await waitForSnapshot(app.url, "frozen master", (s) => s.redis.nodes.some((n) => n.id === master && !n.up && n.problem === "timeout"));
    // The same words whether the liveness PINGs or the tick's INFO noticed first.
    expect(frozen.redis.nodes.find((n) => n.id === master)!.error).toMatch(/^no answer within \d+ ms/);
    // The layers wait out their own Redis timeouts (APISIX 1 s, redis-rs 500 ms a command) and
    // then answer by their contract: those late answers are what is shown, not "not answering".
    const answered = await waitForSnapshot(app.url, "the layers' late answers", (s) =>
      s.layers.every((l) => l.observed.reachable && l.status !== "ok" && l.observed.at! > frozen.at),
    );
    expect(answered.layers.map((l) => [l.id, l.status])).toEqual([
      ["L1", "degraded"],
      ["L2", "degraded"],
      ["L3", "unavailable"],
      ["CP", "degraded"],
    ]);
    expect(answered.layers.every((l) => l.agrees && !l.violation)).toBe(true);
    await answersPromptly(app);
    await control(state, "POST", "/reset");
  });

  it("1 s of latency on the layers' Redis path", async () => {
    await control(state, "POST", "/proxy/latency", { ms: 1000, ttlSeconds: 60 });
    await waitForSnapshot(app.url, "slow Redis seen by the layers", (s) => s.redis.available === false && /no answer within/.test(s.redis.availabilityDetail));
    await answersPromptly(app);
    await control(state, "DELETE", "/proxy/faults");
  });

  it("one sentinel down, then all sentinels down", async () => {
    await control(state, "POST", "/nodes/sentinel-1/kill", { ttlSeconds: 60 });
    const one = await waitForSnapshot(app.url, "2 of 3 sentinels", (s) => s.sentinel.reachable === 2);
    expect(one.sentinel.sentinels.find((x) => x.id === "sentinel-1")?.up).toBe(false);
    expect(one.layers.every((l) => l.status === "ok")).toBe(true);
    for (const s of ["sentinel-2", "sentinel-3"]) await control(state, "POST", `/nodes/${s}/freeze`, { ttlSeconds: 60 });
    const blind = await waitForSnapshot(app.url, "Sentinel blind", (s) => s.sentinel.blind);
    // Blind sentinels keep the last master they named: still the one the stack settled on.
    expect(blind.sentinel.master.addr).toBe(blind.redis.nodes.find((n) => n.id === master)?.addr);
    expect(blind.alerts.find((a) => a.rule === "sentinel_quorum")?.firing).toBe(true);
    await answersPromptly(app);
    await control(state, "POST", "/reset");
  });

  it("a layer hung (accepts, never answers)", async () => {
    await control(state, "POST", "/layers/L2/hang", { ttlSeconds: 60 });
    const s = await waitForSnapshot(app.url, "L2 hung", (x) => x.layers.some((l) => l.id === "L2" && l.status === "unavailable"));
    expect(s.layers.find((l) => l.id === "L2")!.summary).toMatch(/not answering|no answer/);
    // The hung layer holds back no look: the others are still judged ok, on answers newer than the hung probe.
    expect(s.layers.filter((l) => l.id !== "L2").every((l) => l.status === "ok")).toBe(true);
    const later = await waitForSnapshot(app.url, "looks go on", (x) => x.seq > s.seq + 2);
    expect(later.layers.filter((l) => l.id !== "L2").every((l) => l.observed.at! > s.layers.find((x) => x.id === "L2")!.observed.at!)).toBe(true);
    await answersPromptly(app);
    await control(state, "DELETE", "/layers/L2/hang");
  });

  it("memory stays bounded and nothing crashed", async () => {
    expect(rssMb(app.pid) - rssBefore).toBeLessThan(150);
    expect(app.output()).not.toMatch(/unhandledRejection|uncaughtException|Unhandled/i);
  });

  it("a configured Redis that refuses connections or does not resolve", async () => {
    const configFile = path.join(os.tmpdir(), `rrc-bad-${process.pid}.json`);
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        deployment: "broken-config",
        source: "external",
        redis: {
          nodes: [
            { id: "refuses", host: "127.0.0.1", port: 1 },
            { id: "nowhere", host: "redis.invalid", port: 6379 },
          ],
          sentinels: [{ id: "s-nowhere", host: "sentinel.invalid", port: 26379 }],
        },
      }),
    );
    const bad = await startConsole({ port: CONSOLE_PORTS.reliability + 50, devstackDir: settings.dir, env: { CONSOLE_CONFIG: configFile } });
    try {
      const s = await waitForSnapshot(bad.url, "both nodes judged", (x) => x.seq > 2 && x.redis.nodes.length === 2);
      expect(s.redis.nodes.find((n) => n.id === "refuses")!.error).toMatch(/refused|not connected/);
      expect(s.redis.nodes.find((n) => n.id === "nowhere")!.error).toMatch(/resolve|not connected/);
      expect(s.sentinel.blind).toBe(true);
      expect(s.deployment.readOnly).toBe(true);
      await answersPromptly(bad);
      expect(bad.output()).not.toMatch(/unhandledRejection|uncaughtException/i);
    } finally {
      await bad.stop();
      fs.rmSync(configFile, { force: true });
    }
  });

  it("a bad config file stops the start with a message naming the field", async () => {
    const configFile = path.join(os.tmpdir(), `rrc-invalid-${process.pid}.json`);
    fs.writeFileSync(configFile, JSON.stringify({ source: "external", redis: { nodes: [{ id: "x", host: "h", port: "six" }] }, tickMs: 1 }));
    try {
      await expect(startConsole({ port: CONSOLE_PORTS.reliability + 51, devstackDir: settings.dir, env: { CONSOLE_CONFIG: configFile } })).rejects.toThrow(
        /redis\.nodes\.0\.port/,
      );
    } finally {
      fs.rmSync(configFile, { force: true });
    }
  });
});
