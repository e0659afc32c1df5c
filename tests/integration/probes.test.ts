/**
 * A layer set the console has never seen — other paths, required API keys, JSON health with
 * other field names, no /health on L3 — judged through CONSOLE_CONFIG alone, before, during and
 * after an outage of the sandbox's real Redis (the test layers reach it through the sandbox's
 * fault proxy, which the control API cuts). L2's probe runs every 15 s, whatever the viewers.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { Snapshot } from "../../lib/snapshot/types";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { layerStatuses, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const KEYS = {
  edge: `edge-${crypto.randomBytes(12).toString("hex")}`,
  ai: `sk-${crypto.randomBytes(16).toString("hex")}`,
  cp: `cp-${crypto.randomBytes(12).toString("hex")}`,
};
const LAYER_PORT = { L1: PORTS.probes + 12, L2: PORTS.probes + 13, L3: PORTS.probes + 14, CP: PORTS.probes + 15 };

type Handler = (req: http.IncomingMessage, body: unknown) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;

/** A tiny JSON server on 127.0.0.1; `routes` maps "METHOD /prefix" to a handler. */
function serve(port: number, routes: Record<string, Handler>): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const route = Object.entries(routes).find(([k]) => {
      const [method, prefix] = k.split(" ");
      return method === req.method && req.url!.startsWith(prefix);
    });
    type Reply = Awaited<ReturnType<Handler>>;
    const reply: Reply = route
      ? await route[1](req, raw ? JSON.parse(raw) : null).catch((): Reply => ({ status: 500, body: { error: "redis failed" } }))
      : { status: 404, body: { error: "no route" } };
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** The other platform's layers, all using the sandbox's Redis through its fault proxy. */
async function startOtherLayers(redis: Redis, completions: number[]): Promise<http.Server[]> {
  const redisUp = async () => (await redis.ping().catch(() => null)) === "PONG";
  return Promise.all([
    // L1: an APISIX-like route with limit-count; without Redis it lets requests through without the limit headers.
    serve(LAYER_PORT.L1, {
      "GET /edge/v1/ping": async (req) => {
        if (req.headers.apikey !== KEYS.edge) return { status: 401, body: { error: "missing apikey" } };
        try {
          const n = await redis.incr("l1:rl:probe-test");
          return { status: 200, headers: { "X-RateLimit-Limit": "1000000", "X-RateLimit-Remaining": String(1_000_000 - n) }, body: { ok: true } };
        } catch {
          return { status: 200, body: { ok: true } };
        }
      },
    }),
    // L2: OpenAI-compatible, bearer key; health under /healthz with its own field names.
    serve(LAYER_PORT.L2, {
      "POST /v1/chat/completions": async (req, body) => {
        if (req.headers.authorization !== `Bearer ${KEYS.ai}`) return { status: 401, body: { error: { message: "invalid api key" } } };
        completions.push(Date.now());
        const cached = await redis.get("l2:cache:probe").catch(() => null);
        return {
          status: 200,
          body: {
            id: "chatcmpl-1",
            model: (body as { model?: string }).model,
            cached: cached !== null,
            choices: [{ message: { role: "assistant", content: "pong" } }],
          },
        };
      },
      "GET /healthz": async () => ({ status: 200, body: { checks: { redis: (await redisUp()) ? "up" : "down" }, version: "9.9" } }),
    }),
    // L3: sessions under /api/v2, the id nested in the answer; no health route at all.
    serve(LAYER_PORT.L3, {
      "POST /api/v2/agent-sessions": async () => {
        const id = crypto.randomUUID();
        await redis.set(`l3:session:${id}`, "{}", "PX", 60_000);
        return { status: 201, body: { session: { id, state: "open" } } };
      },
      "GET /api/v2/agent-sessions/": async (req) =>
        (await redis.exists(`l3:session:${req.url!.split("/").pop()}`)) ? { status: 200, body: { ok: true } } : { status: 404 },
      "DELETE /api/v2/agent-sessions/": async (req) => ({ status: 200, body: { deleted: await redis.del(`l3:session:${req.url!.split("/").pop()}`) } }),
    }),
    // CP: /status with a nested component view; portal calls need an x-api-key.
    serve(LAYER_PORT.CP, {
      "GET /status": async () => ({ status: 200, body: { healthy: true, components: { redis: (await redisUp()) ? "ok" : "degraded" } } }),
      "GET /portal/api/tenants/": async (req) => {
        if (req.headers["x-api-key"] !== KEYS.cp) return { status: 401 };
        await redis.hgetall("cp:tenant:acme");
        return { status: 200, body: { id: "acme" } };
      },
    }),
  ]).then((servers) => servers.map((s) => (s.on("error", () => {}), s)));
}

/** The console config for those layers: nothing in the console knows them but this. */
function configFor(state: StackState) {
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    deployment: "other-platform",
    source: "external",
    redis: {
      masterName: state.masterName,
      nodes: state.nodes.map((n) => ({ id: n.name, host: "127.0.0.1", port: n.port })),
      sentinels: state.sentinels.map((n) => ({ id: n.name, host: "127.0.0.1", port: n.port })),
      password: { from: "env", name: "OTHER_REDIS_PASSWORD" },
      layerAddress: { host: "127.0.0.1", port: state.proxy!.port },
    },
    layers: [
      {
        id: "L1",
        url: url(LAYER_PORT.L1),
        probe: {
          requests: [{ name: "route", method: "GET", path: "/edge/v1/ping", headers: { apikey: { env: "OTHER_EDGE_KEY" } } }],
          states: {
            unavailable: [{ request: "route", status: [500, 502, 503, 504] }],
            degraded: [{ request: "route", status: 200, header: { "X-RateLimit-Remaining": null } }],
            ok: [{ request: "route", status: [200, 429], header: { "X-RateLimit-Remaining": "*" } }],
          },
        },
      },
      {
        id: "L2",
        url: url(LAYER_PORT.L2),
        probe: {
          everyMs: 15000,
          requests: [
            {
              name: "chat",
              method: "POST",
              path: "/v1/chat/completions",
              headers: { authorization: { env: "OTHER_AI_KEY", prefix: "Bearer " } },
              body: { model: "probe-cached", messages: [{ role: "user", content: "ping" }], max_tokens: 1 },
            },
            { name: "health", method: "GET", path: "/healthz" },
          ],
          states: {
            unavailable: [{ request: "chat", status: "5xx" }],
            degraded: [
              { request: "chat", status: "2xx" },
              { request: "health", json: { path: "checks.redis", equals: "down" } },
            ],
            ok: [
              { request: "chat", status: "2xx" },
              { request: "health", json: { path: "checks.redis", equals: "up" } },
            ],
          },
        },
      },
      {
        id: "L3",
        url: url(LAYER_PORT.L3),
        probe: {
          requests: [
            { name: "create", method: "POST", path: "/api/v2/agent-sessions", body: { agent: "canary" } },
            { name: "read", method: "GET", path: "/api/v2/agent-sessions/{create.session.id}" },
            { name: "delete", method: "DELETE", path: "/api/v2/agent-sessions/{create.session.id}" },
          ],
          states: {
            unavailable: [{ request: "create", status: "5xx" }],
            ok: [
              { request: "create", status: 201 },
              { request: "read", status: 200 },
              { request: "delete", status: 200, json: { path: "deleted", equals: 1 } },
            ],
          },
        },
      },
      {
        id: "CP",
        url: url(LAYER_PORT.CP),
        probe: {
          requests: [
            { name: "status", method: "GET", path: "/status" },
            { name: "portal", method: "GET", path: "/portal/api/tenants/acme", headers: { "x-api-key": { env: "OTHER_CP_KEY" } } },
          ],
          states: {
            unavailable: [{ request: "status", error: true }],
            degraded: [
              { request: "status", json: { path: "components.redis", equals: "degraded" } },
              { request: "portal", status: "5xx" },
            ],
            ok: [
              { request: "status", json: { path: "components.redis", equals: "ok" } },
              { request: "portal", status: 200 },
            ],
          },
        },
      },
    ],
  };
}

const OUTAGE = { L1: "degraded", L2: "degraded", L3: "unavailable", CP: "degraded" };
const allOk = (s: Snapshot) => s.layers.length === 4 && s.layers.every((l) => l.status === "ok" && l.agrees) && s.redis.available === true;
const noViolation = (s: Snapshot) => s.layers.every((l) => !l.violation);

describe("probes from the config, on a layer set the console has never seen", () => {
  const settings = testSettings(PORTS.probes);
  const completions: number[] = [];
  let state: StackState;
  let app: RunningConsole;
  let redis: Redis;
  let servers: http.Server[] = [];
  let configDir: string;

  beforeAll(async () => {
    state = await startStack(settings);
    redis = new Redis({
      host: "127.0.0.1",
      port: state.proxy!.port,
      password: state.password,
      connectTimeout: 500,
      commandTimeout: 300,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (n) => Math.min(n * 100, 500),
    });
    redis.on("error", () => {});
    servers = await startOtherLayers(redis, completions);
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-probes-"));
    fs.writeFileSync(path.join(configDir, "config.json"), JSON.stringify(configFor(state)));
    app = await startConsole({
      port: CONSOLE_PORTS.probes,
      devstackDir: settings.dir,
      env: {
        CONSOLE_CONFIG: path.join(configDir, "config.json"),
        OTHER_REDIS_PASSWORD: state.password,
        OTHER_EDGE_KEY: KEYS.edge,
        OTHER_AI_KEY: KEYS.ai,
        OTHER_CP_KEY: KEYS.cp,
      },
    });
  });
  afterAll(async () => {
    if (state) await control(state, "DELETE", "/proxy/faults").catch(() => {});
    await app?.stop();
    for (const s of servers) s.close();
    redis?.disconnect();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
    await stopStack(settings);
  });

  it("judges the healthy layers ok through the config alone, with the keys sent and never shown", async () => {
    const s = await waitForSnapshot(app.url, "all four ok and in agreement", allOk, 45_000);
    const l1 = s.layers.find((l) => l.id === "L1")!;
    expect(l1.observed.requests[0]).toMatchObject({ name: "route", method: "GET", path: "/edge/v1/ping", status: 200 });
    expect(l1.observed.requests[0].headers?.["x-ratelimit-remaining"]).toMatch(/^\d+$/);
    const l3 = s.layers.find((l) => l.id === "L3")!;
    expect(l3.observed.requests.map((r) => r.status)).toEqual([201, 200, 200]);
    expect(l3.observed.requests[1].path).toMatch(/^\/api\/v2\/agent-sessions\/[0-9a-f-]{36}$/);
    const l2 = s.layers.find((l) => l.id === "L2")!;
    expect(l2.observed.everyMs).toBe(15000);
    // A loaded machine may add " · slow: answered in N s": the judgement is the part before it.
    expect(l2.summary).toMatch(/^chat 200 · health 200 checks\.redis=up( · slow: answered in [\d.]+ s)?$/);
    // The card says how old L2's result is and how often it is probed.
    expect((await app.get<string>("/")).body.replaceAll("<!-- -->", "")).toMatch(/result \d+ s old, probed every 15 s/);
    for (const route of ["/api/snapshot", "/api/timeline", "/api/metrics", "/"]) {
      const text = JSON.stringify((await app.get(route)).body);
      for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
    }
    for (const key of [...Object.values(KEYS), state.password]) expect(app.output()).not.toContain(key);
  });

  it("an L2 probe with everyMs 15000 sends one completion per 15 s, whatever the number of viewers", async () => {
    const viewers = [0, 1, 2, 3, 4].map(() => new AbortController());
    const streams = viewers.map((c) =>
      fetch(`${app.url}/api/stream`, { signal: c.signal })
        .then((r) => r.body?.getReader().read())
        .catch(() => null),
    );
    const start = Date.now();
    const before = completions.length;
    // Five SSE viewers, and a poller hitting /api/snapshot several times a second, for 31 s.
    await waitFor("a 31 s window to pass", async () => (await app.get("/api/snapshot"), Date.now() - start >= 31_000), 60_000, 250);
    const sent = completions.filter((t) => t >= start).length;
    viewers.forEach((c) => c.abort());
    await Promise.all(streams);
    const windowMs = Date.now() - start;
    console.log(`[probes] ${sent} completions in ${windowMs} ms with 5 viewers and a poller (${completions.length - before} counted since the window opened)`);
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(Math.floor(windowMs / 15_000) + 1);
  });

  it("judges them through an outage of the sandbox's Redis, by contract, and after it", async () => {
    await control(state, "POST", "/proxy/cut", { ttlSeconds: 90 });
    try {
      // L2 is probed every 15 s: its cached 'ok' is judged against Redis as it was then, never a breach meanwhile.
      const seen: Snapshot[] = [];
      const during = await waitForSnapshot(
        app.url,
        "the outage states, in agreement",
        (s) => (seen.push(s), JSON.stringify(layerStatuses(s)) === JSON.stringify(OUTAGE) && s.layers.every((l) => l.agrees)),
        45_000,
      );
      expect(during.redis.available).toBe(false);
      expect(seen.every(noViolation)).toBe(true);
      const byId = Object.fromEntries(during.layers.map((l) => [l.id, l]));
      expect(byId.L1.observed.requests[0].headers?.["x-ratelimit-remaining"]).toBeUndefined();
      expect(byId.L1.summary).toBe("route 200 X-RateLimit-Remaining: (none)");
      expect(byId.L2.summary).toBe("chat 200 · health 200 checks.redis=down");
      expect(byId.L3.observed.requests.map((r) => r.skipped ?? r.status)).toEqual([
        500,
        "no value for {create.session.id}",
        "no value for {create.session.id}",
      ]);
      expect(byId.CP.checks.filter((c) => c.ok).map((c) => c.observed)).toEqual([
        'status 200, components.redis = "degraded"',
        "portal 500",
        expect.stringMatching(/^degraded: /),
      ]);
    } finally {
      await control(state, "DELETE", "/proxy/faults");
    }
    const seen: Snapshot[] = [];
    await waitForSnapshot(app.url, "all ok again after the outage", (s) => (seen.push(s), allOk(s)), 45_000);
    expect(seen.every(noViolation)).toBe(true);
  });
});
