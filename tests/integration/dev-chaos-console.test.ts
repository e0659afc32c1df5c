/**
 * The console itself against a dev stack it did not start (issue 18): per-scenario availability
 * with reasons, the marker's 403 naming the fix, the plan before the run, an outage (pause) run
 * whose post-flight compares the target with the journal, a second console refused by the lock,
 * and a console killed with kill -9 during memory pressure whose restart restores the target.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun } from "../../lib/chaos/types";
import { launchBrowser, closeBrowser } from "./helpers/browser";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { PLAIN_MASTER, PLAIN_SECRETS, startPlainTarget, type PlainTarget } from "./helpers/plain-target";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const TOKEN = "integration-operator-token-devchaos-0123456789";
const H = "127.0.0.1";
let t: PlainTarget;
let dir: string;
let app: RunningConsole;
const env = () => ({
  OPERATOR_TOKEN: TOKEN,
  CONSOLE_CONFIG: path.join(dir, "config.json"),
  RRC_WATCH_PW: PLAIN_SECRETS.console,
  RRC_CHAOS_PW: PLAIN_SECRETS.chaos,
});

async function targetState() {
  const m = await t.master();
  const cfg = async (name: string) => ((await t.admin(m, "CONFIG", "GET", name)) as string[])[1];
  const [, filler] = (await t.admin(m, "SCAN", 0, "MATCH", "rrc:filler:*", "COUNT", 10000)) as [string, string[]];
  return {
    maxmemory: await cfg("maxmemory"),
    policy: await cfg("maxmemory-policy"),
    marker: await t.admin(m, "GET", "rrc:chaos-allowed"),
    lock: await t.admin(m, "GET", "rrc:chaos-lock"),
    filler: filler.length,
  };
}

beforeAll(async () => {
  t = await startPlainTarget(PORTS.devChaosConsole);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-devchaos-console-"));
  const redis = {
    masterName: PLAIN_MASTER,
    nodes: t.nodes.map((port, i) => ({ id: `dev-${i + 1}`, host: H, port })),
    sentinels: t.sentinels.map((port, i) => ({ id: `sentinel-${i + 1}`, host: H, port })),
    username: "console",
    password: { from: "env", name: "RRC_WATCH_PW" },
  };
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      deployment: "devchaos",
      source: "external",
      redis,
      chaos: { allow: true, username: "rrc-chaos", password: { from: "env", name: "RRC_CHAOS_PW" } },
    }),
  );
  app = await startConsole({ port: CONSOLE_PORTS.devChaos, devstackDir: path.join(dir, "none"), env: env() });
});
afterAll(async () => {
  await app?.stop().catch(() => {});
  t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a console on an external dev stack", () => {
  it("says per scenario whether this target can run it and why not", async () => {
    const { body } = await app.get<{ target: string; availability: { scenario: string; available: boolean; reason: string | null }[] }>("/api/chaos/scenarios");
    expect(body.target).toBe("external");
    const of = (s: string) => body.availability.find((a) => a.scenario === s);
    expect(of("outage")).toMatchObject({ available: true });
    expect(of("memory-pressure")).toMatchObject({ available: true });
    expect(of("failover")).toMatchObject({ available: true });
    expect(of("restart-under-load")?.reason).toContain("enable-debug-command");
    expect(of("latency")?.reason).toContain("fault proxy");
  });

  it("the Chaos page shows, on each card, why this target cannot run it", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1400 } });
      await page.goto(`${app.url}/chaos`, { timeout: 30_000 });
      await page.getByTestId("unavailable-latency").filter({ hasText: "fault proxy" }).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("unavailable-restart-under-load").textContent()).toContain("enable-debug-command");
      // The outage card offers the modes this target can honour.
      expect(await page.getByLabel("outage mode").locator("option").allTextContents()).toEqual(["pause", "write-pause"]);
      if (process.env.RRC_SCREENSHOT) await page.screenshot({ path: process.env.RRC_SCREENSHOT, fullPage: true });
    } finally {
      await closeBrowser(browser);
    }
  });

  it("refuses without the marker (403 with the fix), a kill outage (400 naming what it can do), then runs a pause outage and restores", async () => {
    const noMarker = await startRun(app, TOKEN, "outage", { durationSeconds: 3 });
    expect(noMarker.status).toBe(403);
    expect(String(noMarker.body.error)).toContain("SET rrc:chaos-allowed devchaos");
    await t.admin(await t.master(), "SET", "rrc:chaos-allowed", "devchaos");
    const kill = await startRun(app, TOKEN, "outage", { mode: "kill" });
    expect(kill.status).toBe(400);
    expect(String(kill.body.error)).toContain('"pause"');
    // This target does not allow DEBUG: the restart scenarios are a 400 saying so, before any key is checked.
    const noDebug = await startRun(app, TOKEN, "restart-under-load", {});
    expect(noDebug.status).toBe(400);
    expect(String(noDebug.body.error)).toContain("enable-debug-command");
    const plan = await app.get<{ plan: { address: string; command: string }[] }>(
      `/api/chaos/plan?scenario=outage&params=${encodeURIComponent('{"durationSeconds":3}')}`,
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(plan.body.plan.filter((c) => c.command.startsWith("CLIENT PAUSE 8000 ALL")).map((c) => c.address)).toEqual(t.nodes.map((p) => `${H}:${p}`));
    expect(JSON.stringify(plan.body)).not.toContain(PLAIN_SECRETS.chaos);

    const before = await targetState();
    const started = await startRun(app, TOKEN, "outage", { durationSeconds: 3 });
    expect(started.status).toBe(202);
    const run = await finishedRun(app, started.id, 60_000);
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    // No layers configured: the layer checks are not exercised, and say why; the run cannot pass by default.
    expect(run.checks.filter((c) => c.claim === "outage-contract").every((c) => c.verdict === "not-exercised" && /not configured/.test(c.reason ?? ""))).toBe(
      true,
    );
    expect(run.state).toBe("failed");
    expect(await targetState()).toEqual(before);
  });

  it("connection-exhaustion, the sandbox's scenario run on the dev stack: maxclients lowered and filled, new connections refused, then all as before", async () => {
    const master = await t.master();
    await t.admin(master, "SET", "rrc:chaos-allowed", "devchaos");
    const maxclients = async () => ((await t.admin(master, "CONFIG", "GET", "maxclients")) as string[])[1];
    const originalMax = await maxclients();
    const before = await targetState();
    const plan = await app.get<{ plan: { command: string; restores: string }[] }>(
      `/api/chaos/plan?scenario=connection-exhaustion&params=${encodeURIComponent('{"durationSeconds":4}')}`,
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(plan.body.plan.map((c) => c.command)).toEqual(expect.arrayContaining([expect.stringMatching(/^CONFIG SET maxclients/)]));
    const dropped = await startRun(app, TOKEN, "connection-exhaustion", { layerConnections: "drop" });
    expect(dropped.status).toBe(400);
    expect(String(dropped.body.error)).toContain('layerConnections must be "keep"');

    const started = await startRun(app, TOKEN, "connection-exhaustion", { durationSeconds: 4 });
    expect(started.status).toBe(202);
    await waitFor(
      "the hold",
      async () => (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body.steps.some((s) => s.name === "hold while Redis refuses new connections"),
      30_000,
    );
    // Seen from outside the console: a new connection, even the admin's, is refused.
    const cli = spawnSync("redis-cli", ["-p", String(master), "--user", "admin", "--pass", PLAIN_SECRETS.admin, "--no-auth-warning", "PING"], {
      encoding: "utf8",
      timeout: 5000,
    });
    expect(`${cli.stdout}${cli.stderr}`).toMatch(/max number of clients/);

    const run = await finishedRun(app, started.id, 60_000);
    expect(run.error).toBeUndefined();
    expect(run.steps.find((s) => s.name === "exhaust the master's connections")?.detail).toMatch(/connections held on .*a new connection is refused/);
    expect(run.metrics.connections_held as number).toBeGreaterThan(0);
    expect(run.metrics.connections_held as number).toBeLessThanOrEqual(200);
    expect(run.metrics.maxclients as number).toBeLessThan(Number(originalMax));
    // No layers configured: each layer's check is not exercised, saying so; the run cannot pass by default.
    const checks = run.checks.filter((c) => c.claim === "connections-exhausted");
    expect(checks.map((c) => [c.layer, c.verdict])).toEqual(["L1", "L2", "L3", "CP"].map((l) => [l, "not-exercised"]));
    expect(run.state).toBe("failed");
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    expect(await maxclients()).toBe(originalMax);
    expect(await targetState()).toEqual(before);
  });

  it("a write-pause outage aborted mid-hold: CLIENT UNPAUSE at once, the run ends aborted, the target as before", async () => {
    const before = await targetState();
    const started = await startRun(app, TOKEN, "outage", { mode: "write-pause", durationSeconds: 60 });
    expect(started.status).toBe(202);
    await waitFor(
      "the hold",
      async () => (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body.steps.some((s) => s.name === "hold the outage"),
      30_000,
    );
    const abort = await fetch(`${app.url}/api/chaos/runs/${started.id}/abort`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(abort.status).toBe(202);
    const run = await finishedRun(app, started.id, 20_000);
    expect(run.state).toBe("aborted");
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    // Writable again long before the 65 s window would have ended.
    expect(await t.admin(await t.master(), "SET", "app:after-abort", "1")).toBe("OK");
    expect(await targetState()).toEqual(before);
  });

  it("a second console is refused while the first runs; kill -9 of the first during memory pressure, then a restart, restores the target", async () => {
    const before = await targetState();
    const started = await startRun(app, TOKEN, "memory-pressure", { durationSeconds: 60 });
    expect(started.status).toBe(202);
    await waitFor(
      "the fill done",
      async () => (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body.steps.some((s) => s.name === "hold under pressure"),
      30_000,
    );
    expect((await targetState()).filler).toBeGreaterThan(0);

    const second = await startConsole({ port: CONSOLE_PORTS.devChaosSecond, devstackDir: path.join(dir, "none"), env: env() });
    try {
      const refused = await startRun(second, TOKEN, "outage", { durationSeconds: 3 });
      expect(refused.status).toBe(403);
      expect(String(refused.body.error)).toContain(started.id);
    } finally {
      await second.stop();
    }

    process.kill(app.pid, "SIGKILL");
    const data = app.dataDir;
    await waitFor(
      "the console gone",
      async () =>
        !(await app.get("/api/health").then(
          () => true,
          () => false,
        )),
      10_000,
    );
    expect(fs.existsSync(path.join(data, "chaos-journal.json"))).toBe(true);
    const restartedAt = Date.now();
    app = await startConsole({ port: CONSOLE_PORTS.devChaos, devstackDir: path.join(dir, "none"), env: { ...env(), CONSOLE_DATA_DIR: data } });
    const after = await waitFor(
      "the target back to its originals",
      async () => {
        const s = await targetState();
        return JSON.stringify(s) === JSON.stringify(before) ? s : null;
      },
      20_000,
      200,
    );
    console.log(`kill -9 during memory pressure: target back to its originals ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart began`);
    expect(after).toEqual(before);
    // The timeline entry follows the restore's own post-flight, a moment after the target is back.
    await waitFor(
      "the timeline to say the journal was undone",
      async () => (await app.get<{ events: { title: string }[] }>("/api/timeline")).body.events.some((e) => e.title.includes("undone from the journal")),
      15_000,
      200,
    );
  });
});
