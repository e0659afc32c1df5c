import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRedis } from "../../devstack/redis-client";
import { infoFields } from "../../lib/redis/info";
import type { StackState } from "../../devstack/state";
import type { Snapshot } from "../../lib/snapshot/types";
import { launchBrowser, closeBrowser } from "./helpers/browser";
import { startConsole, type RunningConsole } from "./helpers/console";
import { ALL_OK, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "deployments-operator-token-not-secret-0123";
/** Nothing listens here: the "offline" deployment's node refuses at once. */
const OFFLINE_PORT = PORTS.deployments + 19;

/** Calls to INFO the master has served so far (INFO commandstats counts itself too: the caller subtracts its own). */
async function infoCalls(state: StackState, port: number): Promise<number> {
  const stats = await withRedis({ port, password: state.password, timeoutMs: 2000 }, (r) => r.info("commandstats"));
  return Number(/calls=(\d+)/.exec(infoFields(stats)["cmdstat_info"] ?? "")?.[1] ?? 0);
}

describe("several deployments in one console", () => {
  const settings = testSettings(PORTS.deployments);
  let state: StackState;
  let app: RunningConsole;
  let configDir: string;

  beforeAll(async () => {
    state = await startStack(settings);
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-deployments-"));
    const nodes = state.nodes.map((n) => ({ id: n.name, host: "127.0.0.1", port: n.port }));
    const sentinels = state.sentinels.map((s) => ({ id: s.name, host: "127.0.0.1", port: s.port }));
    const config = {
      deployments: [
        // The default: the sandbox's Redis watched read-only under another name.
        {
          deployment: "mirror",
          source: "external",
          redis: { masterName: state.masterName, nodes, sentinels, password: { from: "env", name: "MIRROR_REDIS_PASSWORD" } },
        },
        // The sandbox, named only by its dir: its ports and password come from its state file.
        { deployment: "sandbox", source: "devstack", devstack: { dir: settings.dir } },
        { deployment: "offline", source: "external", redis: { nodes: [{ id: "gone", host: "127.0.0.1", port: OFFLINE_PORT }] } },
      ],
    };
    fs.writeFileSync(path.join(configDir, "config.json"), JSON.stringify(config));
    app = await startConsole({
      port: CONSOLE_PORTS.deployments,
      devstackDir: settings.dir,
      env: { CONSOLE_CONFIG: path.join(configDir, "config.json"), MIRROR_REDIS_PASSWORD: state.password, OPERATOR_TOKEN: TOKEN },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });

  it("lists the deployments, the first as the default", async () => {
    const res = await app.get<{ default: string; deployments: { name: string; source: string; readOnly: boolean; default: boolean }[] }>("/api/deployments");
    expect(res.status).toBe(200);
    expect(res.body.default).toBe("mirror");
    expect(res.body.deployments).toEqual([
      { name: "mirror", source: "external", readOnly: true, default: true },
      { name: "sandbox", source: "devstack", readOnly: false, default: false },
      { name: "offline", source: "external", readOnly: true, default: false },
    ]);
  });

  it("gives each deployment its own snapshot; without the parameter, the default's", async () => {
    const sandbox = await waitFor(
      "the sandbox healthy",
      async () => {
        const s = (await app.get<Snapshot>("/api/snapshot?deployment=sandbox")).body;
        return ALL_OK(s) ? s : null;
      },
      60_000,
    );
    expect(sandbox.deployment).toMatchObject({ name: "sandbox", source: "devstack", readOnly: false, chaosRefusal: null });
    const mirror = await waitFor("the mirror's nodes up", async () => {
      const s = await app.snapshot();
      return s.redis.nodes.length === 2 && s.redis.nodes.every((n) => n.up) ? s : null;
    });
    expect(mirror.deployment).toMatchObject({ name: "mirror", source: "external", readOnly: true });
    expect(mirror.deployment.chaosRefusal).toMatch(/not the sandbox/);
    expect(mirror.redis.nodes.map((n) => n.addr).sort()).toEqual(sandbox.redis.nodes.map((n) => n.addr).sort());
    expect(mirror.layers).toEqual([]);
    expect((await app.get<Snapshot>("/api/snapshot?deployment=mirror")).body.deployment.name).toBe("mirror");
    const offline = await waitFor("the offline deployment looked at", async () => {
      const s = (await app.get<Snapshot>("/api/snapshot?deployment=offline")).body;
      return s.seq > 1 ? s : null;
    });
    expect(offline.redis.nodes).toMatchObject([{ id: "gone", up: false }]);
    expect(offline.redis.nodes[0].error).toMatch(/refused|not connected/);
    // Without the parameter the stream is the default's too.
    const streamed = await waitForSnapshot(`${app.url}`, "any snapshot", () => true);
    expect(streamed.deployment.name).toBe("mirror");
  });

  it("answers 404 naming the known deployments for an unknown one, on every route", async () => {
    for (const route of [
      "/api/snapshot",
      "/api/stream",
      "/api/history",
      "/api/timeline",
      "/api/metrics",
      "/api/keyspace",
      "/api/config-audit",
      "/api/alert-rules",
      "/api/chaos/scenarios",
      "/api/chaos/runs",
      "/api/deployments",
      "/api/health",
    ]) {
      const res = await app.get<{ error: string; hint: string }>(`${route}?deployment=nope`);
      expect(res.status, route).toBe(404);
      expect(res.body.error).toBe('no deployment "nope"');
      expect(res.body.hint).toContain("mirror, sandbox, offline");
    }
    expect((await app.get("/api/snapshot?deployment=")).status).toBe(400);
    expect((await app.get("/api/snapshot?deployment=mirror&deployment=offline")).status).toBe(400);
    // Pages stream behind loading.tsx, so the status is already sent: the page renders the 404 (checked in a browser below).
    expect((await app.get<string>("/memory?deployment=nope")).body).toContain("NEXT_HTTP_ERROR_FALLBACK;404");
  });

  it("keeps a timeline per deployment, apart in the store", async () => {
    const titles = async (d: string) => (await app.get<{ events: { title: string }[] }>(`/api/timeline?deployment=${d}`)).body.events.map((e) => e.title);
    expect(await titles("offline")).toContain("Console started, watching offline");
    expect(await titles("sandbox")).toContain("Console started, watching sandbox");
    expect(await titles("sandbox")).not.toContain("Console started, watching offline");
    expect(await titles("mirror")).toContain("Console started, watching mirror");
    // One embedded store in the data dir for every deployment, no timeline files any more.
    expect(fs.existsSync(path.join(app.dataDir, "store", "PG_VERSION"))).toBe(true);
    expect(fs.existsSync(path.join(app.dataDir, "timeline.jsonl"))).toBe(false);
    expect(fs.existsSync(path.join(app.dataDir, "deployments", "sandbox", "timeline.jsonl"))).toBe(false);
  });

  it("exposes every deployment in /api/metrics, labelled, and promtool accepts it", async () => {
    const res = await fetch(`${app.url}/api/metrics`, { signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    for (const d of ["sandbox", "mirror", "offline"]) expect(text).toMatch(new RegExp(`^redis_up\\{node="[^"]+",addr="[^"]+",deployment="${d}"\\} \\d$`, "m"));
    expect(text).toMatch(/^redis_up\{node="gone",addr="127\.0\.0\.1:\d+",deployment="offline"\} 0$/m);
    expect(text).toMatch(/^rrc_layer_status\{layer="L1",status="ok",deployment="sandbox"\} 1$/m);
    expect(text).not.toContain(state.password);
    execFileSync("promtool", ["check", "metrics"], { input: text });
    const one = await (await fetch(`${app.url}/api/metrics?deployment=mirror`, { signal: AbortSignal.timeout(5000) })).text();
    expect(one).toContain('deployment="mirror"');
    expect(one).not.toContain('deployment="sandbox"');
  });

  it("runs chaos on the sandbox only, which chaos routes mean when no deployment is named", async () => {
    const refusal = (await app.get<{ chaosRefusal: string | null }>("/api/chaos/scenarios?deployment=mirror")).body.chaosRefusal;
    expect(refusal).toMatch(/read-only/);
    // Scripts that never heard of deployments (npm run chaos) still reach the sandbox, not the default.
    expect((await app.get<{ chaosRefusal: string | null }>("/api/chaos/scenarios")).body.chaosRefusal).toBeNull();
    const res = await fetch(`${app.url}/api/chaos/runs?deployment=mirror`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ scenario: "outage", params: {} }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/read-only/);
    expect((await app.get<{ runs: unknown[] }>("/api/chaos/runs?deployment=mirror")).body.runs).toEqual([]);
  });

  it("keeps the Redis load of each deployment independent of the number of viewers", async () => {
    const masterAddr = (await app.snapshot()).sentinel.master.addr;
    const master = state.nodes.find((n) => `127.0.0.1:${n.port}` === masterAddr)!;
    const window = async (during: () => Promise<unknown>) => {
      const before = await infoCalls(state, master.port);
      await during();
      return (await infoCalls(state, master.port)) - before - 1;
    };
    const quiet = await window(() => new Promise((r) => setTimeout(r, 6000)));
    const viewers = new AbortController();
    let requests = 0;
    const crowd = await window(async () => {
      for (const d of ["sandbox", "mirror", "sandbox", "mirror", "offline", "sandbox"])
        void fetch(`${app.url}/api/stream?deployment=${d}`, { signal: viewers.signal }).catch(() => {});
      const started = Date.now();
      while (Date.now() - started < 6000) {
        await Promise.all(["sandbox", "mirror"].map((d) => app.get(`/api/snapshot?deployment=${d}`)));
        requests += 2;
      }
    });
    viewers.abort();
    console.log(`[viewer-load] INFO calls on the master in 6 s: ${quiet} with no viewer, ${crowd} with 6 streams and ${requests} snapshot requests`);
    // Two collectors (sandbox, mirror) each send one INFO a tick to this node, viewers or not;
    // the sentinels' own INFO every 10 s is the noise. A per-viewer INFO would add hundreds.
    expect(quiet).toBeGreaterThanOrEqual(8);
    expect(crowd).toBeLessThanOrEqual(quiet + 6);
  });

  it("shows a deployment switcher in the page, which carries the choice in the URL and the nav", async () => {
    const html = (await app.get<string>("/memory?deployment=mirror")).body;
    // The Chaos page, like the chaos API, shows the sandbox (its layers) when no deployment is named.
    expect((await app.get<string>("/chaos")).body).toContain('data-testid="chaos-layer-L3"');
    expect((await app.get<string>("/chaos?deployment=mirror")).body).not.toContain('data-testid="chaos-layer-L3"');
    expect(html).toContain('data-testid="deployment-switcher"');
    for (const d of ["sandbox", "mirror", "offline"]) expect(html).toContain(`data-testid="deployment-option-${d}"`);
    expect(html).toMatch(/<option[^>]*value="mirror"[^>]*selected|<option[^>]*selected[^>]*value="mirror"/);
    expect(html).toContain('href="/sentinel?deployment=mirror"');

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      // Several deployments: the landing page is the fleet, each row leading into its deployment.
      await page.goto(`${app.url}/`, { timeout: 30_000 });
      await page.waitForURL(/\/fleet$/, { timeout: 15_000 });
      for (const d of ["sandbox", "mirror", "offline"]) await page.getByTestId(`fleet-row-${d}`).waitFor({ timeout: 15_000 });
      await page.getByTestId("fleet-row-mirror").getByRole("link", { name: "mirror" }).click();
      await page.waitForURL(/\/\?deployment=mirror$/, { timeout: 15_000 });
      await page.getByText("mirror · Redis for the layers").waitFor({ timeout: 30_000 });
      await page.locator("#deployment-select").selectOption("offline");
      await page.waitForURL(/\?deployment=offline$/, { timeout: 15_000 });
      await page.getByText("offline · Redis for the layers").waitFor({ timeout: 15_000 });
      await page.getByTestId("node-gone").waitFor({ timeout: 15_000 });
      await page.getByRole("link", { name: "Timeline" }).click();
      await page.waitForURL(/\/timeline\?deployment=offline$/, { timeout: 15_000 });
      await page.getByText("Console started, watching offline").first().waitFor({ timeout: 15_000 });
      expect(await page.getByText("Console started, watching mirror").count()).toBe(0);
      await page.goto(`${app.url}/memory?deployment=nope`, { timeout: 30_000 });
      await page.getByText("Deployments watched: mirror, sandbox, offline (the default is mirror).").waitFor({ timeout: 15_000 });
    } finally {
      await closeBrowser(browser);
    }
    expect(app.output()).not.toContain(state.password);
  });
});
