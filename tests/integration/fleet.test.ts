/**
 * The fleet view on a console watching three deployments (the sandbox, the same Redis read-only
 * as "mirror", and "offline" on a port nobody listens on): one stream carries every row, worst
 * first; a replica killed in the sandbox turns both rows that watch it to warn in that one stream;
 * the page lands on /fleet, filters by name and state in the URL, hides addresses in presentation
 * mode, and its header holds on one line at 1440 px.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { FleetPayload } from "../../lib/fleet/fleet-row";
import { SseFrameReader } from "../../lib/sse/frames";
import { launchBrowser, closeBrowser } from "./helpers/browser";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const OFFLINE_PORT = PORTS.fleet + 15;

/** Reads /api/fleet/stream until a pushed fleet satisfies `test`; counts the events seen. */
async function waitForFleet(url: string, what: string, test: (f: FleetPayload) => boolean, timeoutMs = 30_000): Promise<FleetPayload> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let last: FleetPayload | null = null;
  try {
    const res = await fetch(`${url}/api/fleet/stream`, { signal: controller.signal });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = new SseFrameReader();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (const e of reader.push(chunk)) {
        if (e.event !== "fleet") continue;
        last = JSON.parse(e.data) as FleetPayload;
        if (test(last)) return last;
      }
    }
    throw new Error("stream ended");
  } catch (err) {
    throw new Error(`timed out waiting for ${what} (last: ${last?.rows.map((r) => `${r.name}=${r.state}`).join(" ") ?? "none"}; ${(err as Error).message})`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

const stateOf = (f: FleetPayload, name: string) => f.rows.find((r) => r.name === name)?.state;

describe("the fleet view", () => {
  const settings = testSettings(PORTS.fleet);
  let state: StackState;
  let app: RunningConsole;
  let configDir: string;

  beforeAll(async () => {
    state = await startStack(settings);
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-fleet-"));
    const nodes = state.nodes.map((n) => ({ id: n.name, host: "127.0.0.1", port: n.port }));
    const sentinels = state.sentinels.map((s) => ({ id: s.name, host: "127.0.0.1", port: s.port }));
    const config = {
      deployments: [
        { deployment: "sandbox", source: "devstack", devstack: { dir: settings.dir } },
        {
          deployment: "mirror",
          source: "external",
          redis: { masterName: state.masterName, nodes, sentinels, password: { from: "env", name: "FLEET_MIRROR_PASSWORD" } },
        },
        { deployment: "offline", source: "external", redis: { nodes: [{ id: "gone", host: "127.0.0.1", port: OFFLINE_PORT }] } },
      ],
    };
    fs.writeFileSync(path.join(configDir, "config.json"), JSON.stringify(config));
    app = await startConsole({
      port: CONSOLE_PORTS.fleet,
      devstackDir: settings.dir,
      // Incidents settle in 2 s: a row stays warn while its incident settles.
      env: { CONSOLE_CONFIG: path.join(configDir, "config.json"), FLEET_MIRROR_PASSWORD: state.password, INCIDENTS_SETTLE_MS: "2000" },
    });
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await app?.stop();
    await stopStack(settings);
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });

  it("one stream carries every deployment, worst first, without an address", async () => {
    const f = await waitForFleet(
      app.url,
      "offline paging, the others ok",
      (x) => stateOf(x, "offline") === "page" && stateOf(x, "sandbox") === "ok" && stateOf(x, "mirror") === "ok",
      60_000,
    );
    expect(f.rows.map((r) => r.name)).toEqual(["offline", "mirror", "sandbox"]);
    expect(f.rows[0].reasons[0]).toBe("no master answers");
    expect(f.rows.find((r) => r.name === "sandbox")!.layers.map((l) => `${l.id}=${l.status}`)).toEqual(["L1=ok", "L2=ok", "L3=ok", "CP=ok"]);
    expect(JSON.stringify(f)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
    expect(JSON.stringify(f)).not.toContain(state.password);
    // The same rows without the stream (the UI's fallback).
    expect((await app.get<FleetPayload>("/api/fleet")).body.rows.map((r) => r.name)).toEqual(["offline", "mirror", "sandbox"]);
  });

  it("a replica killed in the sandbox turns both rows that watch it to warn, and back", async () => {
    const snap = await app.snapshot();
    const replicaId = snap.redis.nodes.find((n) => n.role === "replica")!.id;
    expect(replicaId).toBeTruthy();
    await control(state, "POST", `/nodes/${replicaId}/kill`, { ttlSeconds: 120 });
    try {
      const f = await waitForFleet(app.url, "sandbox and mirror warn", (x) => stateOf(x, "sandbox") === "warn" && stateOf(x, "mirror") === "warn");
      for (const name of ["sandbox", "mirror"]) expect(f.rows.find((r) => r.name === name)!.reasons).toContain("1 of 2 nodes down");
      expect(f.rows[0].name).toBe("offline");
    } finally {
      await control(state, "POST", `/nodes/${replicaId}/restart`);
    }
    await waitForFleet(app.url, "sandbox and mirror ok again", (x) => stateOf(x, "sandbox") === "ok" && stateOf(x, "mirror") === "ok", 60_000);
  });

  it("lands on /fleet, filters in the URL, hides addresses when presenting, and keeps the header on one line at 1440 px", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${app.url}/`);
      await page.waitForURL(/\/fleet$/);
      await page.getByTestId("fleet-row-offline").waitFor();
      await waitFor("the sandbox row ok", async () => (await page.getByTestId("fleet-row-sandbox").getAttribute("data-state")) === "ok");
      await page.screenshot({ path: "screenshots/fleet.png", fullPage: true });
      // One header line: the nav, the Present toggle and the login sit on the brand's row (measured once the login link is there).
      await page.getByRole("link", { name: "Operator login" }).waitFor();
      const brand = await page.getByText("Redis Resilience Console").boundingBox();
      const nav = await page.getByRole("navigation", { name: "Main" }).boundingBox();
      const header = await page.locator("header").boundingBox();
      expect(header!.height).toBeLessThan(80);
      const login = await page.getByRole("link", { name: "Operator login" }).boundingBox();
      for (const box of [nav!, login!]) expect(Math.abs(box.y + box.height / 2 - (brand!.y + brand!.height / 2))).toBeLessThan(12);

      await page.getByTestId("fleet-filter").fill("mir");
      await page.waitForURL(/\/fleet\?q=mir$/);
      expect(await page.locator("[data-testid^=fleet-row-]").count()).toBe(1);
      await page.getByTestId("fleet-filter").fill("");
      await page.getByTestId("fleet-state-filter-page").click();
      await page.waitForURL(/state=page/);
      await waitFor("only offline", async () => (await page.locator("[data-testid^=fleet-row-]").count()) === 1);
      expect(await page.getByTestId("fleet-row-offline").count()).toBe(1);

      await page.goto(`${app.url}/?present=1`);
      await page.waitForURL(/\/fleet\?present=1$/);
      await page.getByTestId("fleet-row-sandbox").waitFor();
      const text = await page.locator("main").innerText();
      expect(text).not.toMatch(/127\.0\.0\.1/);
      expect(await page.getByTestId("fleet-row-sandbox").getByRole("link").first().getAttribute("href")).toBe("/?deployment=sandbox&present=1");
      await page.screenshot({ path: "screenshots/fleet-present.png", fullPage: true });
    } finally {
      await closeBrowser(browser);
    }
  });
});
