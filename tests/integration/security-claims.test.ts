/**
 * The README's security claims that had no test to catch a regression (issue 30, items 8 and 10),
 * against a console on a Redis it did not start, with key names and host names that are not the
 * sandbox's: a viewer session sees no key name of the "other" class whatever its query, nor the
 * Prometheus host nor a deployment's configured host names; a fresh CSP nonce per page; abort,
 * /api/auth/codes and /api/present/links refused without auth and with a cross-origin cookie; a
 * viewer link past its hours refused, and hours > 72 a 400.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, type RunningConsole } from "./helpers/console";
import { PLAIN_MASTER, PLAIN_SECRETS, startPlainTarget, type PlainTarget } from "./helpers/plain-target";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const TOKEN = "security-claims-operator-token-0123456789abcdef";
const SESSION_KEY = "sess:tok-5be1c0d2a9e3f4";
const PROM_HOST = "prom-4d1f.metrics.internal";
const OTHER_HOST = "redis-7c2e.tenant-b.internal";
let t: PlainTarget;
let dir: string;
let app: RunningConsole;

async function req(route: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(app.url + route, { ...init, redirect: "manual", signal: AbortSignal.timeout(15_000) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
const bearer = { authorization: `Bearer ${TOKEN}` };

async function mintLink(hours: number) {
  const r = await req("/api/present/links", {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ hours, deployment: "tenant-a" }),
  });
  return { status: r.status, body: JSON.parse(r.text) as { path?: string; error?: string } };
}

/** Opens a viewer link; the rrc_viewer cookie it sets. */
async function openLink(linkPath: string): Promise<string> {
  const opened = await req(linkPath);
  expect(opened.status).toBe(303);
  return /^(rrc_viewer=[^;]+)/.exec(opened.headers.get("set-cookie") ?? "")![1];
}

beforeAll(async () => {
  t = await startPlainTarget(PORTS.securityClaims);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-security-claims-"));
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      deployments: [
        {
          deployment: "tenant-a",
          source: "external",
          redis: {
            masterName: PLAIN_MASTER,
            nodes: t.nodes.map((port, i) => ({ id: `a-${i + 1}`, host: "127.0.0.1", port })),
            sentinels: t.sentinels.map((port, i) => ({ id: `sentinel-${i + 1}`, host: "127.0.0.1", port })),
            username: "console",
            password: { from: "env", name: "RRC_WATCH_PW" },
          },
        },
        // Host names that resolve nowhere: what matters is that they are configured, and said in answers.
        { deployment: "tenant-b", source: "external", redis: { nodes: [{ id: "b-1", host: OTHER_HOST, port: 6390 }] } },
      ],
    }),
  );
  await t.admin(t.nodes[0], "SET", SESSION_KEY, "a tenant's session");
  app = await startConsole({
    port: CONSOLE_PORTS.securityClaims,
    devstackDir: path.join(dir, "none"),
    env: {
      OPERATOR_TOKEN: TOKEN,
      CONSOLE_CONFIG: path.join(dir, "config.json"),
      RRC_WATCH_PW: PLAIN_SECRETS.console,
      PROMETHEUS_URL: `http://${PROM_HOST}:9090`,
    },
  });
}, 90_000);
afterAll(async () => {
  await app?.stop();
  t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a viewer session sees no key name or host name, whatever its query (item 8)", () => {
  it("the operator sees them, so there is something to hide", async () => {
    await waitFor(
      "the keyspace sampler to list the session key",
      async () => (await req("/api/keyspace?deployment=tenant-a", { headers: bearer })).text.includes(SESSION_KEY),
      60_000,
      500,
    );
    expect((await req("/api/deployments", { headers: bearer })).text).toContain(PROM_HOST);
    await waitFor(
      "tenant-b's snapshot to name its host",
      async () => (await req("/api/snapshot?deployment=tenant-b", { headers: bearer })).text.includes(OTHER_HOST),
      30_000,
      500,
    );
  });

  it("a viewer of tenant-a gets none of them, from the keyspace (present=0 too), the deployments or tenant-b's snapshot (a 403)", async () => {
    const link = await mintLink(2);
    const cookie = await openLink(link.body.path!);
    for (const [route, status] of [
      ["/api/keyspace?deployment=tenant-a", 200],
      ["/api/keyspace?deployment=tenant-a&present=0", 200],
      ["/api/deployments", 200],
      // The link is for tenant-a alone (on loopback too, where the snapshot has a fast path).
      ["/api/snapshot?deployment=tenant-b", 403],
      ["/?deployment=tenant-b&present=1", null],
    ] as const) {
      const r = await req(route, { headers: { cookie } });
      if (status) expect(r.status, route).toBe(status);
      expect(r.text, route).not.toContain(SESSION_KEY);
      expect(r.text, route).not.toContain("sess:tok");
      expect(r.text, route).not.toContain(PROM_HOST);
      expect(r.text, route).not.toContain(OTHER_HOST);
    }
  });
});

describe("claims with a test now (item 10)", () => {
  it("every page gets a fresh CSP nonce, the one its scripts carry", async () => {
    const nonces = [];
    for (let i = 0; i < 3; i++) {
      const page = await req("/login");
      const header = /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy") ?? "")?.[1];
      expect(header).toBeTruthy();
      expect(page.text).toContain(`nonce="${header}"`);
      nonces.push(header);
    }
    expect(new Set(nonces).size).toBe(3);
  });

  it("abort, /api/auth/codes and /api/present/links: 401 without auth, 403 with the operator's cookie from another origin", async () => {
    const login = await req("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", origin: app.url },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(login.status).toBe(200);
    const cookie = /^((?:__Host-)?rrc_operator=[^;]+)/.exec(login.headers.get("set-cookie") ?? "")![1];
    const routes = ["/api/chaos/runs/20261206000000-outage-abcdef/abort", "/api/auth/codes", "/api/present/links"];
    for (const route of routes) {
      const anonymous = await req(route, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(anonymous.status, route).toBe(401);
      const crossSite = await req(route, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin: "http://evil.example" },
        body: "{}",
      });
      expect(crossSite.status, route).toBe(403);
      const noOrigin = await req(route, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "sec-fetch-site": "cross-site" },
        body: "{}",
      });
      expect(noOrigin.status, route).toBe(403);
    }
    // The same cookie from the console's own page is accepted: the refusals above were the origin's.
    const own = await req("/api/auth/codes", { method: "POST", headers: { "content-type": "application/json", cookie, origin: app.url }, body: "{}" });
    expect(own.status).toBeLessThan(300);
  });

  it("a viewer link: hours > 72 is a 400; past its hours the session and the link are refused", async () => {
    const tooLong = await mintLink(73);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toContain("at most 72");
    const short = await mintLink(0.001); // 3.6 s
    const cookie = await openLink(short.body.path!);
    expect((await req("/api/snapshot", { headers: { cookie } })).status).toBe(200);
    const expired = await waitFor(
      "the viewer session to expire",
      async () => {
        const r = await req("/api/snapshot", { headers: { cookie } });
        return r.status === 401 ? r : null;
      },
      30_000,
      250,
    );
    expect(expired.text).toContain("expired");
    expect((await req(short.body.path!)).status).toBe(404);
  });
});
