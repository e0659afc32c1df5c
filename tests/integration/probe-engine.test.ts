/**
 * The probe engine against a real HTTP server on loopback (no devstack): requests in order,
 * templates from earlier answers, skipped requests, env header values sent and never recorded,
 * one deadline for the whole probe, and the everyMs cadence.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LayerProber, probeLayer } from "../../lib/collector/layer-probes";
import { ConsoleConfigSchema, type LayerConfig } from "../../lib/config/schema";

const SECRET = "probe-secret-0123456789abcdef";
const seen: { method: string; url: string; auth?: string; body: string }[] = [];
let server: http.Server;
let url: string;

function layer(probe: unknown): LayerConfig {
  return ConsoleConfigSchema.parse({ source: "external", redis: {}, layers: [{ id: "L3", url, probe }] }).layers[0];
}

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    if (req.url === "/hang") return; // never answers
    if (req.url === "/sessions" && req.method === "POST")
      return void res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ session: { id: "a b" } }));
    if (req.url === "/broken" && req.method === "POST") return void res.writeHead(503).end("{}");
    res.writeHead(200, { "content-type": "application/json", "x-cache": "miss" }).end(JSON.stringify({ ok: true, echo: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.PROBE_ENGINE_KEY = SECRET;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("probe engine", () => {
  it("runs requests in order, fills templates from earlier answers, sends env headers and never records them", async () => {
    seen.length = 0;
    const obs = await probeLayer(
      layer({
        requests: [
          { name: "create", method: "POST", path: "/sessions", headers: { authorization: { env: "PROBE_ENGINE_KEY", prefix: "Bearer " } }, body: { n: 1 } },
          { name: "read", method: "GET", path: "/sessions/{create.session.id}" },
          { name: "note", method: "POST", path: "/notes", body: { about: "{create.session.id}" } },
        ],
        states: {
          unavailable: [{ request: "create", status: "5xx" }],
          ok: [{ request: "read", status: 200, json: { path: "echo", equals: "/sessions/a%20b" } }],
        },
      }),
      2000,
    );
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /sessions", "GET /sessions/a%20b", "POST /notes"]);
    expect(seen[0]).toMatchObject({ auth: `Bearer ${SECRET}`, body: '{"n":1}' });
    expect(seen[2].body).toBe('{"about":"a b"}');
    expect(obs).toMatchObject({ reachable: true, state: "ok" });
    expect(obs.requests[1]).toMatchObject({
      name: "read",
      path: "/sessions/a%20b",
      status: 200,
      headers: { "x-cache": "miss" },
      json: { echo: "/sessions/a%20b" },
    });
    expect(JSON.stringify(obs)).not.toContain(SECRET);
  });

  it("skips a request whose template has no value, and one whose env var is unset, saying why", async () => {
    const obs = await probeLayer(
      layer({
        requests: [
          { name: "create", method: "POST", path: "/broken" },
          { name: "read", method: "GET", path: "/sessions/{create.session.id}" },
          { name: "keyed", method: "GET", path: "/k", headers: { "x-api-key": { env: "PROBE_ENGINE_UNSET" } } },
        ],
        states: {
          unavailable: [
            { request: "create", status: 503 },
            { request: "read", error: true },
          ],
          ok: [{ request: "create", status: 201 }],
        },
      }),
      2000,
    );
    expect(obs.requests.map((r) => r.skipped ?? r.status)).toEqual([
      503,
      "no value for {create.session.id}",
      "environment variable PROBE_ENGINE_UNSET is not set",
    ]);
    // A skipped request holds no condition, not even error: true.
    expect(obs.state).toBe("unknown");
    expect(obs.rules.unavailable![1]).toMatchObject({ holds: false, seen: "read skipped (no value for {create.session.id})" });
  });

  it("a header value fetch refuses (a newline in the env var) is not quoted in the recorded error", async () => {
    process.env.PROBE_ENGINE_BAD = `${SECRET}\nx`;
    const obs = await probeLayer(
      layer({
        requests: [{ name: "a", method: "GET", path: "/ok", headers: { authorization: { env: "PROBE_ENGINE_BAD", prefix: "Bearer " } } }],
        states: { unavailable: [{ request: "a", error: true }], ok: [{ request: "a", status: 200 }] },
      }),
      2000,
    );
    expect(obs.requests[0].error).toBeTruthy();
    expect(JSON.stringify(obs)).not.toContain(SECRET);
  });

  it("one deadline covers the whole probe: a hung request ends it, the rest report the deadline", async () => {
    const started = Date.now();
    const obs = await probeLayer(
      layer({
        timeoutMs: 300,
        requests: [
          { name: "hang", method: "GET", path: "/hang" },
          { name: "after", method: "GET", path: "/ok" },
        ],
        states: { unavailable: [{ request: "hang", error: true }], ok: [{ request: "after", status: 200 }] },
      }),
      5000,
    );
    // A contractual bound, not a speed: the probe's deadline is 300 ms; without it the hang would hold until the 5 s budget.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(obs).toMatchObject({ reachable: false, state: "unavailable", error: "no answer before the probe deadline (hung or overloaded)" });
    expect(obs.requests.map((r) => r.error)).toEqual([obs.error, obs.error]);
  });

  it("everyMs: the prober reuses the last result until it is due", async () => {
    const prober = new LayerProber();
    const l = layer({
      everyMs: 60_000,
      requests: [{ name: "a", method: "GET", path: "/every" }],
      states: { unavailable: [{ request: "a", status: "5xx" }], ok: [{ request: "a", status: 200 }] },
    });
    seen.length = 0;
    const t0 = Date.now();
    const first = await prober.observe(l, 1000, t0);
    for (let i = 1; i <= 20; i++) expect(await prober.observe(l, 1000, t0 + i * 1000)).toBe(first);
    expect(seen.filter((s) => s.url === "/every")).toHaveLength(1);
    const next = await prober.observe(l, 1000, t0 + 60_000);
    expect(next).not.toBe(first);
    expect(seen.filter((s) => s.url === "/every")).toHaveLength(2);
    expect(first.everyMs).toBe(60_000);
  });
});
