/**
 * Tenant-facing viewer links: everything a viewer session can reach — every page, RSC payload,
 * API answer and the stream — is redacted by the server, not just hidden by the browser; the
 * session is read-only and expires with its link.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { keepScreenshot, launchBrowser, closeBrowser } from "./helpers/browser";
import { startConsole, type RunningConsole } from "./helpers/console";
import { ALL_OK, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "viewer-test-operator-token-0123456789abcdef";
const PAGES = ["/", "/memory", "/sentinel", "/chaos", "/timeline", "/config"];
const APIS = [
  "/api/snapshot",
  "/api/history?minutes=5",
  "/api/timeline",
  "/api/timeline?format=markdown",
  "/api/keyspace",
  "/api/config-audit",
  "/api/metrics",
  "/api/deployments",
  "/api/chaos/scenarios",
  "/api/chaos/runs",
  "/api/alert-rules",
  "/api/alert-rules?format=json",
];

function get(
  c: RunningConsole,
  route: string,
  headers: Record<string, string> = {},
  readMs?: number,
): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(c.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: "GET", path: route, headers, timeout: 15_000 }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      const done = () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
      res.on("end", done);
      // The stream never ends: read it for a while, then hang up.
      if (readMs) setTimeout(() => (done(), req.destroy()), readMs);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${route}: no answer`)));
    req.on("error", (err) => (readMs ? undefined : reject(err)));
    req.end();
  });
}

describe("viewer links: the server redacts everything a tenant can reach", () => {
  const settings = testSettings(PORTS.viewer);
  let state: StackState;
  let app: RunningConsole;
  let cookie = "";
  /** What must never reach a viewer: loopback addresses, the stack's ports, the layers' key names. */
  let leaks: RegExp;

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.viewer, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
    await waitForSnapshot(app.url, "healthy", ALL_OK);
    const ports = [...state.nodes.map((n) => n.port), ...state.sentinels.map((s) => s.port)];
    leaks = new RegExp(`127\\.0\\.0\\.1|localhost:\\d|:(${ports.join("|")})\\b|\\b(l1|l2|l3|cp):[a-z]`);
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  it("an operator mints a link; opening it starts a viewer session on the Overview in presentation mode", async () => {
    expect((await fetch(`${app.url}/api/present/links`, { method: "POST" })).status).toBe(401);
    const minted = await fetch(`${app.url}/api/present/links`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ hours: 2 }),
    });
    expect(minted.status).toBe(201);
    const { path: linkPath, expiresAt } = (await minted.json()) as { path: string; expiresAt: string };
    expect(linkPath).toMatch(/^\/present\/[\w-]{20,}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(1.9 * 3600_000);
    const opened = await get(app, linkPath);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe("/?present=1");
    cookie = String(opened.headers["set-cookie"]?.[0]).split(";")[0];
    expect(cookie).toMatch(/^rrc_viewer=/);
    expect((await get(app, "/present/not-a-real-code-000000")).status).toBe(404);
  });

  it("the same answers hold addresses and key names without the viewer session (the check below can fail)", async () => {
    await waitFor(
      "the keyspace sampler to have seen the layers' keys",
      async () => /\b(l1|l3):[a-z]/.test((await get(app, "/api/keyspace")).text),
      60_000,
      1000,
    );
    const raw = (await Promise.all(["/api/snapshot", "/api/keyspace", "/"].map((r) => get(app, r)))).map((r) => r.text).join("\n");
    expect(raw).toMatch(leaks);
  });

  it("every page, RSC payload, API answer and the stream reach a viewer redacted", async () => {
    for (const page of PAGES) {
      const redirected = await get(app, page, { cookie });
      expect(redirected.status, page).toBe(307);
      expect(redirected.headers.location, page).toMatch(/present=1/);
      const shown = await get(app, `${page}?present=1`, { cookie });
      // The page's CSP names the nonce its scripts carry, or nothing would run.
      expect(String(shown.headers["content-security-policy"]), page).toContain(`'nonce-${/\snonce="([^"]+)"/.exec(shown.text)?.[1]}'`);
      expect(shown.status, page).toBe(200);
      expect(shown.text, page).toContain("Redis Resilience Console");
      expect(shown.text.match(leaks)?.[0], page).toBeUndefined();
      const rsc = await get(app, `${page}?present=1`, { cookie, rsc: "1" });
      expect(rsc.text.match(leaks)?.[0], `${page} (RSC)`).toBeUndefined();
    }
    for (const route of APIS) {
      const res = await get(app, route, { cookie });
      expect(res.status, route).toBe(200);
      expect(res.text.length, route).toBeGreaterThan(10);
      expect(res.text.match(leaks)?.[0], route).toBeUndefined();
    }
    const stream = await get(app, "/api/stream", { cookie }, 2500);
    expect(stream.text).toMatch(/event: snapshot/);
    expect(stream.text.match(leaks)?.[0]).toBeUndefined();
  });

  it("in Chromium, the link opens a live, hydrated Overview with nothing to hide left on it", async () => {
    const minted = await fetch(`${app.url}/api/present/links`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
    const { path: linkPath } = (await minted.json()) as { path: string };
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      const cspViolations: string[] = [];
      page.on("console", (m) => m.type() === "error" && /Content Security Policy/.test(m.text()) && cspViolations.push(m.text()));
      await page.goto(app.url + linkPath, { timeout: 30_000 });
      await page.waitForURL(/present=1/);
      await page.getByTestId("live-indicator").filter({ hasText: "live" }).waitFor({ timeout: 30_000 });
      await page.getByTestId("layer-L1-status").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("present-toggle").getAttribute("aria-pressed")).toBe("true");
      await keepScreenshot(page, "screenshots/viewer-overview.png");
      await page.goto(`${app.url}/sentinel`, { timeout: 30_000 });
      await page.waitForURL(/sentinel\?present=1/);
      await page.getByTestId("agreement-card").waitFor({ timeout: 30_000 });
      await keepScreenshot(page, "screenshots/viewer-sentinel.png");
      expect((await page.content()).match(leaks)?.[0]).toBeUndefined();
      expect(cspViolations).toEqual([]);
    } finally {
      await closeBrowser(browser);
    }
  });

  it("a viewer session is read-only, even in a browser that also holds the operator's session", async () => {
    const login = await fetch(`${app.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: app.url },
      body: JSON.stringify({ token: TOKEN }),
    });
    const operator = String(login.headers.get("set-cookie")).split(";")[0];
    const res = await fetch(`${app.url}/api/chaos/runs`, {
      method: "POST",
      headers: { cookie: `${cookie}; ${operator}`, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ scenario: "outage" }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/read-only/);
  });

  it("an unknown or expired viewer session is told so, and its cookie cleared", async () => {
    const res = await get(app, "/api/snapshot", { cookie: "rrc_viewer=forged-session-id" });
    expect(res.status).toBe(401);
    expect(String(res.headers["set-cookie"])).toMatch(/rrc_viewer=;.*Max-Age=0/);
  });
});
