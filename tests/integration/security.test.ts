import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { ALL_OK, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings } from "./helpers/stack";

const TOKEN = "security-test-operator-token-0123456789";
const READER = { authorization: `Bearer ${TOKEN}` };

/** Every GET route and page, with the parameters they take. */
const GETS = [
  "/api/health",
  "/api/snapshot",
  "/api/history?minutes=5",
  "/api/timeline",
  "/api/timeline?format=markdown",
  "/api/chaos/scenarios",
  "/api/chaos/runs",
  "/",
  "/memory",
  "/sentinel",
  "/chaos",
  "/timeline",
  "/config",
  "/login",
];

/** Reads carry the operator's bearer token: behind TRUST_PROXY the console answers no anonymous read (issue 27, item 4). */
async function raw(c: RunningConsole, method: string, route: string, body?: string, headers: Record<string, string> = {}) {
  const reader: Record<string, string> = method === "GET" ? READER : {};
  const res = await fetch(c.url + route, {
    method,
    body,
    headers: { "content-type": "application/json", ...reader, ...headers },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe("security: secrets, input, headers", () => {
  // Following address, so the layers are all ok again after the failover below (pinned layers stay on the old master).
  const settings = testSettings(PORTS.security, ["--layer-addressing", "follow"]);
  let state: StackState;
  let app: RunningConsole;
  const seen: string[] = [];

  /** Reads everything a browser or script could see, for the secret scan. */
  async function collectEverything() {
    for (const route of GETS) seen.push((await raw(app, "GET", route)).text);
    // The stream is read until it has sent two snapshot events, so the scan is known to cover it.
    const stream = await fetch(`${app.url}/api/stream`, { headers: READER, signal: AbortSignal.timeout(15_000) });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = "";
    while ((text.match(/^event: snapshot$/gm) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect((text.match(/^event: snapshot$/gm) ?? []).length, "snapshot events read from /api/stream").toBeGreaterThanOrEqual(2);
    seen.push(text);
  }

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.security, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN, TRUST_PROXY: "1" } });
    await waitForSnapshot(app.url, "healthy", ALL_OK, 30_000, READER);
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  it("never shows the Redis password or the operator token, through an outage and a failover", async () => {
    await collectEverything();
    await control(state, "POST", "/proxy/cut", { ttlSeconds: 30 });
    await waitForSnapshot(app.url, "outage", (s) => s.redis.available === false, 30_000, READER);
    await collectEverything();
    await control(state, "DELETE", "/proxy/faults");
    await control(state, "POST", "/sentinel/failover");
    await waitForSnapshot(
      app.url,
      "failover done",
      (s) => ALL_OK(s) && s.redis.nodes.find((n) => n.role === "master")?.id !== state.nodes[0].name,
      60_000,
      READER,
    );
    await collectEverything();
    // A failed login and a bad bearer must not echo the token back either.
    seen.push((await raw(app, "POST", "/api/auth/login", JSON.stringify({ token: "nope" }))).text);
    seen.push((await raw(app, "POST", "/api/chaos/runs", "{}", { authorization: `Bearer ${TOKEN}x` })).text);
    seen.push(app.output());
    const everything = seen.join("\n");
    expect(everything.length).toBeGreaterThan(10_000);
    expect(everything).not.toContain(state.password);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(state.controlToken);
    await control(state, "POST", "/reset");
  });

  it("sets the security headers on pages and API answers", async () => {
    for (const route of ["/", "/api/snapshot"]) {
      const res = await raw(app, "GET", route);
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
    expect((await raw(app, "GET", "/")).headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
  });

  it("answers unknown routes 404 and wrong methods 405", async () => {
    const unknown = await raw(app, "GET", "/api/does-not-exist");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error).toMatch(/no API route/);
    expect((await raw(app, "GET", "/no-such-page")).status).toBe(404);
    expect((await raw(app, "DELETE", "/api/snapshot")).status).toBe(405);
    expect((await raw(app, "POST", "/api/health", "{}")).status).toBe(405);
  });

  it("limits POST bodies and rate-limits failed logins", async () => {
    const huge = JSON.stringify({ scenario: "outage", params: { x: "y".repeat(100_000) } });
    expect((await raw(app, "POST", "/api/chaos/runs", huge, { authorization: `Bearer ${TOKEN}` })).status).toBe(413);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await raw(app, "POST", "/api/auth/login", JSON.stringify({ token: `wrong-${i}` }), { "x-forwarded-for": "203.0.113.9" })).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const ok = await raw(app, "POST", "/api/auth/login", JSON.stringify({ token: TOKEN }), { "x-forwarded-for": "198.51.100.1" });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=\d+/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(";")[0];
    expect(JSON.parse((await raw(app, "GET", "/api/auth/session", undefined, { cookie: session })).text).operator).toBe(true);
    // A logged-in browser on another origin is still refused.
    expect(
      (await raw(app, "POST", "/api/chaos/runs", JSON.stringify({ scenario: "outage" }), { cookie: session, origin: "http://attacker.example" })).status,
    ).toBe(403);
  });

  it("survives malformed, huge, wrongly typed and oddly encoded input on every route with a 4xx", async () => {
    const bodies = [
      "",
      "null",
      "[]",
      "42",
      '"str"',
      "{",
      '{"scenario":42}',
      '{"scenario":"outage","params":"x"}',
      '{"scenario":"outage","params":{"durationSeconds":"ten"}}',
      '{"__proto__":{"admin":true}}',
      "\u0000\u0001\u0002",
      "%7B%22a%22%3A1%7D",
      '{"scenario":"' + "é".repeat(100) + '"}',
      JSON.stringify({ token: ["a"] }),
    ];
    const posts = ["/api/chaos/runs", "/api/auth/login", "/api/chaos/runs/20260101-outage-abcdef/abort", "/api/chaos/runs/..%2F..%2Fetc/abort"];
    for (const route of posts) {
      for (const body of bodies) {
        const res = await raw(app, "POST", route, body, { authorization: `Bearer ${TOKEN}`, "x-forwarded-for": `192.0.2.${bodies.indexOf(body)}` });
        expect(res.status, `${route} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
      }
    }
    const queries = [
      "/api/history?minutes=abc",
      "/api/history?minutes=-1",
      "/api/history?minutes=1e9",
      "/api/history?minutes=%00",
      "/api/timeline?format=xml",
      "/api/timeline?since=-5",
      "/api/chaos/runs/%2e%2e",
      "/api/chaos/runs/" + "a".repeat(500),
      "/api/chaos/runs/x/report?format=pdf",
    ];
    for (const route of queries) {
      const res = await raw(app, "GET", route);
      expect(res.status, `${route} → ${res.status}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await raw(app, "GET", "/api/health")).status).toBe(200);
    expect(app.output()).not.toMatch(/unhandledRejection|uncaughtException|TypeError/);
  });
});
