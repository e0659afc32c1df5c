/**
 * Sign-in through a real identity provider (oidc-provider on loopback) and roles per deployment
 * (issue 27, items 1 and 2): Chromium signs each person in through the provider's own login form;
 * then every route of the API is asked as each of them, as nobody, and with the break-glass token.
 * No Redis is needed: access control answers before anything is read.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Browser } from "@playwright/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keepScreenshot, launchBrowser, closeBrowser } from "./helpers/browser";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CLIENT_ID, signInThroughIdp, signInTrail, startIdp, type Person, type TestIdp } from "./helpers/oidc-idp";
import { CONSOLE_PORTS, PORTS, waitFor, within } from "./helpers/stack";

const TOKEN = "sign-in-break-glass-operator-token-0123456789";
const CLIENT_SECRET = "sign-in-test-client-secret-9f8e7d6c5b4a";
const DEPLOYMENTS = ["sandbox", "staging-eu"] as const;

function writeConfig(dir: string, issuer: string, timeoutMs = 5000, refreshMinutes?: number): string {
  const file = path.join(dir, "config.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      auth: {
        oidc: {
          issuer,
          clientId: CLIENT_ID,
          clientSecret: { from: "env", name: "OIDC_CLIENT_SECRET" },
          scopes: ["openid", "profile", "email", "groups", "offline_access"],
          groupsClaim: "groups",
          name: "Test IdP",
          timeoutMs,
          ...(refreshMinutes ? { refreshMinutes } : {}),
        },
        roles: [
          { group: "sre", role: "admin" },
          { group: "sre-eu", role: "operator", deployments: ["staging-eu"] },
          { group: "everyone", role: "viewer" },
        ],
        defaultRole: "none",
      },
      // Nothing listens on these ports: the console serves all the same, and access control does not read Redis.
      deployments: DEPLOYMENTS.map((name, i) => ({
        deployment: name,
        source: "external",
        redis: { nodes: [{ id: `${name}-1`, host: "127.0.0.1", port: PORTS.signIn + 10 + i }] },
      })),
    }),
  );
  return file;
}

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

// A test that runs out of time names no step: its sign-ins' steps, with how long each took, say where it went.
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`[sign-in trail]\n${signInTrail()}`)));

describe("sign-in through the team's OIDC provider, roles per deployment", () => {
  let dir: string;
  let idp: TestIdp;
  let app: RunningConsole;
  let browser: Browser;
  const cookies: Partial<Record<Person, string>> = {};
  const seen: string[] = [];

  async function ask(route: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Answer> {
    const controller = new AbortController();
    const res = await fetch(app.url + route, { ...init, headers, signal: AbortSignal.any([controller.signal, AbortSignal.timeout(10_000)]) });
    // A stream never ends: its status and first bytes are the answer.
    const text = res.headers.get("content-type")?.startsWith("text/event-stream") ? "" : await res.text();
    controller.abort();
    seen.push(text);
    return { status: res.status, text, headers: res.headers };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-sign-in-"));
    const url = `http://127.0.0.1:${CONSOLE_PORTS.signIn}`;
    idp = await startIdp({ port: PORTS.signIn, clientSecret: CLIENT_SECRET, consoleUrls: [url] });
    app = await startConsole({
      port: CONSOLE_PORTS.signIn,
      devstackDir: path.join(dir, "none"),
      env: { OPERATOR_TOKEN: TOKEN, CONSOLE_CONFIG: writeConfig(dir, idp.issuer), OIDC_CLIENT_SECRET: CLIENT_SECRET },
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    if (browser) await closeBrowser(browser);
    await app?.stop();
    await idp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Signs `who` in through the provider's own login and consent forms, in a fresh browser context; the console's session cookie. */
  async function signIn(who: Person, screenshot?: string): Promise<string> {
    const session = await signInThroughIdp(browser, app.url, idp.issuer, who, screenshot ? (page) => keepScreenshot(page, screenshot) : undefined);
    expect(session.httpOnly).toBe(true);
    seen.push(session.page);
    return session.cookie;
  }

  it("each person signs in through the provider's own form; /api/auth/session says who and the role on each deployment", async () => {
    cookies.admin = await signIn("admin", "screenshots/sign-in-login-page.png");
    cookies.euOperator = await signIn("euOperator");
    cookies.nobody = await signIn("nobody");
    const session = async (who: Person) => JSON.parse((await ask("/api/auth/session", { cookie: cookies[who]! })).text);
    expect(await session("admin")).toMatchObject({
      signedIn: true,
      kind: "person",
      email: "ada@example.test",
      roles: { sandbox: "admin", "staging-eu": "admin" },
    });
    expect(await session("euOperator")).toMatchObject({ email: "emil@example.test", roles: { sandbox: null, "staging-eu": "operator" } });
    expect(await session("nobody")).toMatchObject({ signedIn: true, grants: [], roles: { sandbox: null, "staging-eu": null } });
    expect(JSON.parse((await ask("/api/auth/session")).text)).toMatchObject({ signedIn: false, grants: [], readsNeedCredential: true });
  }, 120_000);

  type Caller = Person | "anonymous" | "breakGlass" | "viewerLink";
  const CALLERS: Caller[] = ["admin", "euOperator", "nobody", "anonymous", "breakGlass", "viewerLink"];
  /** The cookie a browser gets by opening a viewer link the staging-eu operator made for staging-eu. */
  let viewerCookie = "";
  const headersOf = (who: Caller): Record<string, string> =>
    who === "anonymous"
      ? {}
      : who === "breakGlass"
        ? { authorization: `Bearer ${TOKEN}` }
        : who === "viewerLink"
          ? { cookie: viewerCookie }
          : { cookie: cookies[who]! };
  /** The role each caller has on a deployment, as the config maps the provider's groups (a viewer link: viewer on its one deployment). */
  const roleOf = (who: Caller, deployment: string | null): "viewer" | "operator" | "admin" | null =>
    who === "admin" || who === "breakGlass"
      ? "admin"
      : who === "euOperator" && deployment === "staging-eu"
        ? "operator"
        : who === "viewerLink" && deployment === "staging-eu"
          ? "viewer"
          : null;
  const RANK = { viewer: 1, operator: 2, admin: 3 };

  /** Every route of the API list, with the role it needs; `null` deployment: the console as a whole. */
  const ROUTES: { method: "GET" | "POST"; route: (d: string) => string; need: "viewer" | "operator" | "admin"; scope: "deployment" | "all" }[] = [
    { method: "GET", route: (d) => `/api/snapshot?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/stream?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/history?minutes=5&deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/timeline?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/keyspace?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/config-audit?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/alert-rules?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/incidents?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/metrics?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/chaos/scenarios?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/chaos/runs?deployment=${d}`, need: "viewer", scope: "deployment" },
    { method: "GET", route: (d) => `/api/chaos/plan?scenario=outage&deployment=${d}`, need: "operator", scope: "deployment" },
    { method: "POST", route: (d) => `/api/chaos/runs?deployment=${d}`, need: "operator", scope: "deployment" },
    { method: "POST", route: (d) => `/api/chaos/runs/20261206000000-outage-abcdef/abort?deployment=${d}`, need: "operator", scope: "deployment" },
    { method: "POST", route: (d) => `/api/present/links?deployment=${d}`, need: "operator", scope: "deployment" },
    { method: "GET", route: () => "/api/fleet", need: "viewer", scope: "all" },
    { method: "GET", route: () => "/api/fleet/stream", need: "viewer", scope: "all" },
    { method: "POST", route: () => "/api/auth/codes", need: "admin", scope: "all" },
  ];

  it("every route × every caller: what each role gets, a 401 for nobody, a 403 naming what is missing", async () => {
    const link = await ask(
      "/api/present/links?deployment=staging-eu",
      { cookie: cookies.euOperator!, "content-type": "application/json", origin: app.url },
      { method: "POST", body: "{}" },
    );
    expect(link.status).toBe(201);
    const opened = await ask((JSON.parse(link.text) as { path: string }).path, {}, { redirect: "manual" });
    viewerCookie = /^(rrc_viewer=[^;]+)/.exec(opened.headers.get("set-cookie") ?? "")?.[1] ?? "";
    expect(viewerCookie).not.toBe("");
    const table: string[] = [];
    for (const r of ROUTES) {
      for (const d of r.scope === "deployment" ? DEPLOYMENTS : (["*"] as const)) {
        for (const who of CALLERS) {
          const route = r.route(d);
          const init: RequestInit = r.method === "POST" ? { method: "POST", body: JSON.stringify({ scenario: "outage" }) } : {};
          // As the console's own page sends it (the plan, a GET, is an action too: it needs the origin).
          const headers = {
            ...headersOf(who),
            "sec-fetch-site": "same-origin",
            ...(r.method === "POST" ? { "content-type": "application/json", origin: app.url } : {}),
          };
          const res = await ask(route, headers, init);
          const role = roleOf(who, r.scope === "all" ? null : d);
          const allowed = role !== null && RANK[role] >= RANK[r.need];
          const error = res.status >= 400 ? (JSON.parse(res.text) as { error: string }).error : "";
          table.push(`${r.method} ${route} ${who}: ${res.status} ${error}`);
          if (allowed) {
            // Past the guard: whatever the route then says (a 403 for chaos here is the target's refusal, not a role).
            expect([401, 429], `${r.method} ${route} as ${who}`).not.toContain(res.status);
            expect(error, `${r.method} ${route} as ${who}`).not.toMatch(/ needed$/);
          } else if (who === "viewerLink" && r.method === "POST") {
            // The viewer gateway answers every write itself, whatever the route.
            expect(res.status, `${r.method} ${route} as ${who}`).toBe(403);
            expect(error).toBe("a viewer session is read-only");
          } else if (who === "anonymous") {
            expect(res.status, `${r.method} ${route} as ${who}`).toBe(401);
            expect(error).toMatch(/^sign-in required: /);
          } else {
            expect(res.status, `${r.method} ${route} as ${who}`).toBe(403);
            const missing = r.need === "admin" ? "admin needed" : `${r.need} on ${r.scope === "all" ? "every deployment" : d} needed`;
            expect(error, `${r.method} ${route} as ${who}`).toBe(missing);
          }
        }
      }
    }
    expect(table.length).toBe(
      ROUTES.filter((r) => r.scope === "deployment").length * 2 * CALLERS.length + ROUTES.filter((r) => r.scope === "all").length * CALLERS.length,
    );
    for (const open of ["/api/health", "/api/ready"]) expect([200, 503], open).toContain((await ask(open)).status);
  });

  it("an operator granted staging-eu cannot run chaos on another deployment: 403 naming the role", async () => {
    const res = await ask(
      "/api/chaos/runs?deployment=sandbox",
      { cookie: cookies.euOperator!, "content-type": "application/json", origin: app.url },
      { method: "POST", body: JSON.stringify({ scenario: "outage" }) },
    );
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ error: "operator on sandbox needed" });
    expect(JSON.parse(res.text).hint).toMatch(/emil@example\.test .*operator on staging-eu/);
  });

  it("a person signed in through the provider who opens a viewer link keeps their own session, and is told so", async () => {
    const made = await ask(
      "/api/present/links?deployment=staging-eu",
      { cookie: cookies.euOperator!, "content-type": "application/json", origin: app.url },
      { method: "POST", body: "{}" },
    );
    expect(made.status).toBe(201);
    const linkPath = (JSON.parse(made.text) as { path: string }).path;
    const opened = await ask(linkPath, { cookie: cookies.euOperator! }, { redirect: "manual" });
    expect(opened.status).toBe(200);
    expect(opened.headers.get("set-cookie")).toBeNull();
    expect(opened.text).toContain("You are signed in: your session is kept");
    expect(opened.text).toContain("emil@example.test");
    expect(JSON.parse((await ask("/api/auth/session", { cookie: cookies.euOperator! })).text)).toMatchObject({
      kind: "person",
      roles: { "staging-eu": "operator" },
    });
  });

  it("the deployments list names only what the caller may see", async () => {
    const names = async (who: Caller) =>
      (JSON.parse((await ask("/api/deployments", headersOf(who))).text).deployments as { name: string }[]).map((d) => d.name);
    expect(await names("admin")).toEqual(["sandbox", "staging-eu"]);
    expect(await names("euOperator")).toEqual(["staging-eu"]);
    expect((await ask("/api/deployments", headersOf("nobody"))).status).toBe(403);
  });

  it("an admin mints a token on the Tokens page (shown once) and finds it on the Audit page; the operator sees neither", async () => {
    const context = await browser.newContext();
    await context.addCookies([{ name: "rrc_operator", value: cookies.admin!.split("=")[1], url: app.url }]);
    const page = await context.newPage();
    await page.goto(`${app.url}/tokens`, { waitUntil: "domcontentloaded" });
    await page.getByPlaceholder("prometheus-scrape").fill("ci-reader");
    await page.locator('main select[name="deployment"]').selectOption("staging-eu");
    await page.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByRole("status");
    await shown.filter({ hasText: "not shown again" }).waitFor();
    const secret = (await shown.locator("code").textContent())!;
    expect(secret).toMatch(/^rrc_/);
    await page.getByRole("cell", { name: "ci-reader" }).waitFor();
    await keepScreenshot(page, "screenshots/access-tokens.png");
    // The token works at once, for what it was given.
    expect((await ask("/api/snapshot?deployment=staging-eu", { authorization: `Bearer ${secret}` })).status).toBe(200);
    expect((await ask("/api/snapshot?deployment=sandbox", { authorization: `Bearer ${secret}` })).status).toBe(403);
    await page.goto(`${app.url}/audit`, { waitUntil: "domcontentloaded" });
    await page.getByRole("cell", { name: "token.created" }).first().waitFor();
    await page.getByRole("cell", { name: "denied" }).first().waitFor();
    await keepScreenshot(page, "screenshots/access-audit.png");
    seen.push(await page.content());
    await context.close();
    for (const route of ["/tokens", "/audit"]) {
      const res = await fetch(app.url + route, { headers: { cookie: cookies.euOperator! }, redirect: "manual" });
      const text = await res.text();
      // Sent to the login page naming the role (a redirect, or in a streamed page Next's redirect marker), and nothing of the page.
      expect(`${res.headers.get("location") ?? ""} ${text}`, route).toContain("/login?missing=admin+needed");
      expect(text, route).not.toMatch(/Create token|Audit trail/);
    }
  }, 90_000);

  it("logout ends the session here and hands the provider's end-session address (no token in it)", async () => {
    const cookie = await signIn("admin");
    expect((await ask("/api/snapshot?deployment=sandbox", { cookie })).status).toBe(200);
    const out = await ask("/api/auth/logout", { cookie, origin: app.url }, { method: "POST" });
    expect(out.status).toBe(200);
    const { endSessionUrl } = JSON.parse(out.text) as { endSessionUrl: string };
    expect(new URL(endSessionUrl).origin).toBe(idp.issuer);
    expect(new URL(endSessionUrl).searchParams.get("post_logout_redirect_uri")).toBe(`${app.url}/login`);
    expect(endSessionUrl).not.toMatch(/id_token_hint/);
    expect((await ask("/api/snapshot?deployment=sandbox", { cookie })).status).toBe(401);
  }, 60_000);

  it("no client secret, break-glass token or session cookie in any answer, page or log line", async () => {
    const values = [CLIENT_SECRET, TOKEN, ...Object.values(cookies).map((c) => c!.split("=")[1])];
    expect(seen.length).toBeGreaterThan(100);
    for (const v of values) {
      for (const text of seen) expect(text.includes(v)).toBe(false);
      expect(app.output().includes(v)).toBe(false);
    }
  });
});

describe("an identity provider that never answers does not hang the console", () => {
  let dir: string;
  let hung: http.Server;
  let app: RunningConsole;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-sign-in-hung-"));
    // Accepts connections and never answers: the worst a provider can do.
    hung = http.createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(PORTS.signIn + 1, "127.0.0.1", resolve));
    app = await startConsole({
      port: CONSOLE_PORTS.signInHungIdp,
      devstackDir: path.join(dir, "none"),
      env: { CONSOLE_CONFIG: writeConfig(dir, `http://127.0.0.1:${PORTS.signIn + 1}`, 1000), OIDC_CLIENT_SECRET: CLIENT_SECRET },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    hung?.closeAllConnections();
    await new Promise((r) => hung?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sign-in lands on the login page saying the provider did not answer, and the login page says it", async () => {
    const res = await fetch(`${app.url}/api/auth/oidc/login`, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!, app.url);
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("error")).toMatch(/the identity provider Test IdP \(http:\/\/127\.0\.0\.1:\d+\) did not answer: no answer within 1000 ms/);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(location.href, { waitUntil: "domcontentloaded" });
      await page.getByRole("alert").filter({ hasText: "did not answer" }).waitFor();
      await page.getByRole("link", { name: "Sign in with Test IdP" }).waitFor();
      await keepScreenshot(page, "screenshots/sign-in-provider-down.png");
    } finally {
      await closeBrowser(browser);
    }
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  }, 60_000);
});

describe("the roles are read again from the provider: a person removed from a group loses the role", () => {
  let dir: string;
  let idp: TestIdp;
  let app: RunningConsole;
  let browser: Browser;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-sign-in-recheck-"));
    const url = `http://127.0.0.1:${CONSOLE_PORTS.signInRecheck}`;
    idp = await startIdp({ port: PORTS.signIn + 2, clientSecret: CLIENT_SECRET, consoleUrls: [url] });
    // auth.oidc.refreshMinutes 0.05: read again every 3 s instead of 15 minutes.
    app = await startConsole({
      port: CONSOLE_PORTS.signInRecheck,
      devstackDir: path.join(dir, "none"),
      env: { CONSOLE_CONFIG: writeConfig(dir, idp.issuer, 5000, 0.05), OIDC_CLIENT_SECRET: CLIENT_SECRET },
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    if (browser) await closeBrowser(browser);
    await app?.stop();
    await idp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Bounded from here too: a test once ran out of its 90 s with no step named, as if a fetch never settled.
  const session = async (cookie: string) =>
    within(
      "GET /api/auth/session",
      12_000,
      fetch(`${app.url}/api/auth/session`, { headers: { cookie }, signal: AbortSignal.timeout(10_000) }).then((r) => r.json()),
    ) as Promise<any>;

  it("the operator of staging-eu taken out of sre-eu at the provider is no operator after the next re-read, still signed in", async () => {
    const { cookie } = await signInThroughIdp(browser, app.url, idp.issuer, "euOperator");
    expect((await session(cookie)).roles).toEqual({ sandbox: null, "staging-eu": "operator" });
    idp.setGroups("euOperator", []);
    const after = await waitFor(
      "the role to be gone after the provider stopped listing sre-eu",
      async () => {
        const s = await session(cookie);
        return s.roles["staging-eu"] === null ? s : null;
      },
      30_000,
      500,
    );
    expect(after).toMatchObject({ signedIn: true, kind: "person", email: "emil@example.test", grants: [] });
    const run = await fetch(`${app.url}/api/chaos/runs?deployment=staging-eu`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ scenario: "outage" }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(run.status).toBe(403);
    expect(((await run.json()) as { error: string }).error).toBe("operator on staging-eu needed");
  }, 90_000);
});
