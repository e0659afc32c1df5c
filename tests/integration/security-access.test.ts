/**
 * Operator access against the real console server: no token guessing through any route, bodies
 * bounded while they stream, one-time login codes, server-side sessions, no DNS rebinding,
 * CSRF rules for cookie sessions. No sandbox is needed: access control does not touch Redis.
 */
import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS } from "./helpers/stack";

const TOKEN = "security-access-operator-token-0123456789";
const NO_STACK = ".devstack-test-none-security";

interface RawAnswer {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** One request with exactly these headers (fetch cannot set Host): the way an attacker's page or script would send it. */
function request(c: RunningConsole, method: string, route: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const url = new URL(c.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: route,
        headers: { ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}), ...headers },
        timeout: 10_000,
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${route}: no answer in 10 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

const json = { "content-type": "application/json" };
const login = (c: RunningConsole, body: unknown, client: string) =>
  request(c, "POST", "/api/auth/login", { ...json, "x-forwarded-for": client }, JSON.stringify(body));
const cookieOf = (a: RawAnswer) => String(a.headers["set-cookie"]?.[0] ?? "").split(";")[0];

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

describe("operator access", () => {
  let app: RunningConsole;
  beforeAll(async () => {
    app = await startConsole({
      port: CONSOLE_PORTS.securityAccess,
      devstackDir: NO_STACK,
      env: { OPERATOR_TOKEN: TOKEN, TRUST_PROXY: "1", CONSOLE_ALLOWED_HOSTS: "console.internal" },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("counts wrong bearer tokens on every route, keyed by the address the trusted proxy appended; the right token always works", async () => {
    const statuses: number[] = [];
    // The client writes whatever it likes left of the proxy's entry; the proxy's entry stays the same.
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await request(app, "GET", "/api/auth/session", { authorization: `Bearer guess-${i}`, "x-forwarded-for": `10.9.9.${i}, 203.0.113.50` })).status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    expect(
      (await request(app, "GET", "/api/auth/session", { authorization: "Bearer guess-y", "x-forwarded-for": "203.0.113.50" })).headers["retry-after"],
    ).toMatch(/^\d+$/);
    const chaos = await request(app, "POST", "/api/chaos/runs", { ...json, authorization: "Bearer guess-x", "x-forwarded-for": "203.0.113.50" }, "{}");
    expect(chaos.status).toBe(429);
    // The limiter is asked about failures only: the operator behind the same address is never locked out (issue 27, item 7).
    const right = await request(app, "GET", "/api/auth/session", { authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "10.1.1.1, 203.0.113.50" });
    expect(right.status).toBe(200);
    expect(JSON.parse(right.text)).toMatchObject({ operator: true });
    expect((await login(app, { token: TOKEN }, "203.0.113.50")).status).toBe(200);
    // Another client is not affected.
    const other = await request(app, "GET", "/api/auth/session", { authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "198.51.100.20" });
    expect(JSON.parse(other.text)).toMatchObject({ operator: true });
  });

  it("the viewer gateway drops Authorization: a viewer's bearer header is neither checked nor counted", async () => {
    const link = JSON.parse(
      (await request(app, "POST", "/api/present/links", { ...json, authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "198.51.100.70" }, "{}")).text,
    ) as { path: string };
    const opened = await request(app, "GET", link.path, { "x-forwarded-for": "198.51.100.71" });
    expect(opened.status).toBe(303);
    const viewer = cookieOf(opened);
    expect(viewer).toMatch(/^rrc_viewer=/);
    const asked = await request(app, "GET", "/api/auth/session", { cookie: viewer, authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "198.51.100.71" });
    expect(asked.status).toBe(200);
    expect(JSON.parse(asked.text)).toMatchObject({ operator: false });
  });

  it("stops reading a chunked body at 16 KB, before it is all sent, on the unauthenticated login route", async () => {
    const rssBefore = rssMb(app.pid);
    const url = new URL(app.url);
    const chunk = Buffer.alloc(64 * 1024, "a");
    const limit = 64 * 1024 * 1024;
    const result = await new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = http.request(
        { host: url.hostname, port: url.port, method: "POST", path: "/api/auth/login", headers: { ...json, "transfer-encoding": "chunked" } },
        (res) => {
          answered = true;
          res.resume();
          resolve({ status: res.statusCode ?? 0, sentBytes: sent });
          req.destroy();
        },
      );
      req.on("error", (err) => (answered ? undefined : reject(err)));
      const pump = () => {
        while (!answered && sent < limit) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.sentBytes).toBeLessThan(limit);
    expect(rssMb(app.pid) - rssBefore).toBeLessThan(40);
    expect((await request(app, "GET", "/api/health")).status).toBe(200);
  });

  it("a one-time login code works once; the token is never needed in a URL", async () => {
    const minted = await request(app, "POST", "/api/auth/codes", { authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "198.51.100.30" });
    expect(minted.status).toBe(201);
    const { code, loginPath, expiresAt } = JSON.parse(minted.text);
    expect(loginPath).toBe(`/login#code=${code}`);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(minted.text).not.toContain(TOKEN);
    expect((await request(app, "POST", "/api/auth/codes", { "x-forwarded-for": "198.51.100.30" })).status).toBe(401);
    const first = await login(app, { code }, "198.51.100.31");
    expect(first.status).toBe(200);
    expect(cookieOf(first)).toMatch(/^rrc_operator=/);
    expect((await login(app, { code }, "198.51.100.31")).status).toBe(401);
    expect(app.output()).not.toContain(code);
  });

  it("logout revokes the session on the server: the old cookie no longer works", async () => {
    const ok = await login(app, { token: TOKEN }, "198.51.100.40");
    const cookie = cookieOf(ok);
    const asOperator = async () => JSON.parse((await request(app, "GET", "/api/auth/session", { cookie })).text).operator;
    expect(await asOperator()).toBe(true);
    expect((await request(app, "POST", "/api/auth/logout", { cookie, origin: app.url })).status).toBe(200);
    expect(await asOperator()).toBe(false);
  });

  it("over HTTPS (a trusted proxy says so) the cookie is Secure with the __Host- prefix", async () => {
    const ok = await request(
      app,
      "POST",
      "/api/auth/login",
      { ...json, "x-forwarded-for": "198.51.100.41", "x-forwarded-proto": "https" },
      JSON.stringify({ token: TOKEN }),
    );
    const setCookie = String(ok.headers["set-cookie"]?.[0]);
    expect(setCookie).toMatch(/^__Host-rrc_operator=/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/Path=\//);
  });

  it("answers only to loopback names and CONSOLE_ALLOWED_HOSTS (DNS rebinding)", async () => {
    const port = new URL(app.url).port;
    for (const route of ["/api/snapshot", "/api/stream", "/api/keyspace", "/api/config-audit", "/", "/memory", "/api/does-not-exist"]) {
      const res = await request(app, "GET", route, { host: `rebind.evil.example:${port}` });
      expect(res.status, route).toBe(421);
      expect(res.text, route).toMatch(/CONSOLE_ALLOWED_HOSTS/);
    }
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect((await request(app, "GET", "/api/snapshot", { ...bearer, host: `console.internal:${port}` })).status).toBe(200);
    expect((await request(app, "GET", "/api/snapshot", { ...bearer, host: `localhost:${port}` })).status).toBe(200);
  });

  it("a cookie alone is not enough for a POST: it needs Origin or Sec-Fetch-Site, and JSON", async () => {
    const cookie = cookieOf(await login(app, { token: TOKEN }, "198.51.100.50"));
    const run = (headers: Record<string, string>, body = JSON.stringify({ scenario: "outage" })) =>
      request(app, "POST", "/api/chaos/runs", { cookie, ...headers }, body);
    const csrf = /cross-origin|must carry Origin or Sec-Fetch-Site/;
    for (const headers of [
      json,
      { ...json, "sec-fetch-site": "cross-site" },
      { ...json, "sec-fetch-site": "same-site" },
      { ...json, origin: "http://attacker.example" },
    ]) {
      const res = await run(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(res.text).error).toMatch(csrf);
    }
    // Same origin passes the CSRF check (then meets the next one: this console has no sandbox to run chaos on).
    const same = await run({ ...json, "sec-fetch-site": "same-origin" });
    expect(JSON.parse(same.text).error ?? "").not.toMatch(csrf);
    expect((await run({ "content-type": "text/plain", origin: app.url })).status).toBe(415);
    expect(
      (
        await request(
          app,
          "POST",
          "/api/chaos/runs",
          { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${TOKEN}` },
          "scenario=outage",
        )
      ).status,
    ).toBe(415);
  });
});

describe("a console reachable from elsewhere (TRUST_PROXY, CONSOLE_ALLOWED_HOSTS): no anonymous reads (issue 27, item 4)", () => {
  let app: RunningConsole;
  beforeAll(async () => {
    app = await startConsole({
      port: CONSOLE_PORTS.accessExposed,
      devstackDir: NO_STACK,
      env: { OPERATOR_TOKEN: TOKEN, CONSOLE_ALLOWED_HOSTS: "console.internal" },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const READS = [
    "/api/snapshot",
    "/api/stream",
    "/api/metrics",
    "/api/history?minutes=5",
    "/api/timeline",
    "/api/keyspace",
    "/api/config-audit",
    "/api/alert-rules",
    "/api/incidents",
    "/api/deployments",
    "/api/fleet",
    "/api/fleet/stream",
    "/api/chaos/scenarios",
    "/api/chaos/runs",
    "/api/snapshot?deployment=no-such",
  ];

  it("every read API, the snapshot's fast path and the stream included, is a 401 without a credential; health and ready stay open", async () => {
    for (const route of READS) {
      const res = await request(app, "GET", route);
      expect(res.status, route).toBe(401);
      expect(JSON.parse(res.text).error, route).toMatch(/sign-in required: viewer on/);
      // Nothing of the state in the refusal: no deployment named, no snapshot field.
      expect(res.text, route).not.toMatch(/sandbox|"layers"|"redis"/);
    }
    expect((await request(app, "GET", "/api/health")).status).toBe(200);
    expect([200, 503]).toContain((await request(app, "GET", "/api/ready")).status);
  });

  it("every page is a 401 that links to sign-in; the login page opens", async () => {
    for (const page of ["/", "/memory", "/sentinel", "/timeline", "/chaos", "/config", "/fleet", "/cluster"]) {
      const res = await request(app, "GET", page);
      expect(res.status, page).toBe(401);
      expect(res.text, page).toMatch(/href="\/login\?next=/);
    }
    const login = await request(app, "GET", "/login");
    expect(login.status).toBe(200);
    expect(login.text).not.toMatch(/"name":"sandbox"/);
  });

  it("a token reads; a forged cookie reads nothing (the page sends it to sign in, the API says 401)", async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    for (const route of READS.slice(0, -1).filter((r) => !r.includes("stream")))
      expect([401, 403], route).not.toContain((await request(app, "GET", route, bearer)).status);
    const forged = { cookie: "rrc_operator=forged-session-id" };
    expect((await request(app, "GET", "/api/snapshot", forged)).status).toBe(401);
    const page = await request(app, "GET", "/memory", forged);
    expect(page.status).toBe(307);
    expect(page.headers.location).toMatch(/^\/login/);
  });
});

describe("a console on loopback alone: reads stay open, the snapshot's fast path answers", () => {
  let app: RunningConsole;
  beforeAll(async () => {
    app = await startConsole({ port: CONSOLE_PORTS.accessLoopback, devstackDir: NO_STACK, env: { OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("the snapshot's fast path answers like the route: the API's headers, and the odd cases left to Next", async () => {
    const plain = await request(app, "GET", "/api/snapshot");
    expect(plain.status).toBe(200);
    expect(JSON.parse(plain.text).seq).toBeGreaterThan(0);
    // The same security headers as any API answer Next's router gives (next.config.js's list).
    const routed = await request(app, "GET", "/api/health");
    for (const h of ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "permissions-policy", "cache-control"]) {
      expect(plain.headers[h], h).toBeTruthy();
      expect(plain.headers[h], h).toBe(routed.headers[h]);
    }
    expect(plain.headers["content-type"]).toMatch(/^application\/json/);
    expect(Number(plain.headers["content-length"])).toBe(Buffer.byteLength(plain.text));
    const head = await request(app, "HEAD", "/api/snapshot");
    expect([head.status, head.text]).toEqual([200, ""]);
    // Through to the route handler, which answers these as it always did.
    expect((await request(app, "GET", "/api/snapshot?deployment=nope")).status).toBe(404);
    expect((await request(app, "GET", "/api/snapshot?deployment=a&deployment=b")).status).toBe(400);
    expect((await request(app, "POST", "/api/snapshot", { "content-type": "application/json" }, "{}")).status).toBe(405);
  });
});

describe("operator access: nobody can lock the operator out", () => {
  let app: RunningConsole;
  beforeAll(async () => {
    app = await startConsole({ port: CONSOLE_PORTS.securityCeiling, devstackDir: NO_STACK, env: { OPERATOR_TOKEN: TOKEN, TRUST_PROXY: "1" } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("a guesser fills its own bucket, the operator still logs in; at the global ceiling the token and a one-time code still work", async () => {
    // The code npm run demo mints at start, before anyone floods.
    const { code } = JSON.parse(
      (await request(app, "POST", "/api/auth/codes", { authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "198.51.100.62" })).text,
    ) as { code: string };
    for (let i = 0; i < 8; i++) await login(app, { token: `wrong-${i}` }, "203.0.113.66");
    expect((await login(app, { token: "wrong" }, "203.0.113.66")).status).toBe(429);
    expect((await login(app, { token: TOKEN }, "198.51.100.60")).status).toBe(200);
    // A distributed guess: ten clients, five failures each, fills the global ceiling (50 a minute).
    for (let c = 0; c < 10; c++) for (let i = 0; i < 5; i++) await login(app, { token: `wrong-${c}-${i}` }, `203.0.113.${100 + c}`);
    expect((await login(app, { token: "wrong-again" }, "198.51.100.61")).status).toBe(429);
    expect((await login(app, { token: TOKEN }, "198.51.100.61")).status).toBe(200);
    expect((await login(app, { code }, "198.51.100.61")).status).toBe(200);
  });
});

describe("operator token strength", () => {
  it("refuses to start with an OPERATOR_TOKEN under 32 characters, saying how to make one", async () => {
    await expect(startConsole({ port: CONSOLE_PORTS.securityWeakToken, devstackDir: NO_STACK, env: { OPERATOR_TOKEN: "short-token-1234" } })).rejects.toThrow(
      /OPERATOR_TOKEN is 16 characters; it must be at least 32/,
    );
  });
});
