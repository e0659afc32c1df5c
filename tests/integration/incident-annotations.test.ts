/**
 * Grafana annotations against a small HTTP receiver on loopback that checks the shape of
 * Grafana's `POST /api/annotations` call: incident start, failover, end as a region; the token
 * only in the Authorization header; a refusing or silent Grafana logged without the token.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GrafanaAnnotations } from "@/lib/incidents/grafana";
import { IncidentStore } from "@/lib/incidents/store";
import type { Snapshot } from "@/lib/snapshot/types";
import { waitFor } from "./helpers/stack";

const TOKEN = "glsa_test-token-0123456789abcdef0123";
type Received = { method: string; url: string; auth: string | undefined; body: Record<string, unknown> };
const received: Received[] = [];
let mode: "ok" | "refuse" | "hang" = "ok";
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (mode === "hang") return;
      received.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: JSON.parse(body) });
      res
        .writeHead(mode === "refuse" ? 500 : 200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ id: received.length, message: "Annotation added" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const snap = (s: number, l3: "ok" | "unavailable", seq = s + 1): Snapshot =>
  ({
    at: at(s),
    seq,
    layers: [{ id: "L3", status: l3, violation: false }],
    alerts: [],
    redis: { available: l3 === "ok", nodes: [] },
    sentinel: { history: [] },
  }) as unknown as Snapshot;

describe("Grafana annotations", () => {
  it("pushes an incident's start, its failover and its end as a region, with the Bearer token", async () => {
    const grafana = GrafanaAnnotations.fromEnv("sandbox", { GRAFANA_URL: `${base}/`, GRAFANA_TOKEN: TOKEN })!;
    const store = new IncidentStore(null, () => 2000);
    store.onChange(
      (kind, i, m) => void (kind === "opened" ? grafana.incidentOpened(i) : kind === "closed" ? grafana.incidentClosed(i) : m && grafana.failover(i, m)),
    );
    store.observe(snap(0, "ok"));
    store.event({ id: 1, at: at(1), kind: "redis", severity: "page", subject: "redis-a", title: "redis-a (master) down" });
    store.observe(snap(1, "unavailable"));
    store.event({
      id: 2,
      at: at(3),
      kind: "sentinel",
      severity: "warn",
      title: "Sentinel +switch-master: master is now redis-b (was redis-a)",
      detail: "reported by sentinel-1 · +switch-master mymaster a b",
    });
    store.observe(snap(4, "ok"));
    store.observe(snap(7, "ok"));
    await waitFor("three annotations", () => received.length >= 3, 10_000);
    expect(received.every((r) => r.method === "POST" && r.url === "/api/annotations" && r.auth === `Bearer ${TOKEN}`)).toBe(true);
    const [start, failover, end] = received;
    expect(start.body).toMatchObject({ time: T0 + 1000, text: "Incident started: redis-a (master) down" });
    expect(start.body.tags).toEqual(expect.arrayContaining(["incident-start", "deployment:sandbox"]));
    expect(failover.body).toMatchObject({ time: T0 + 3000, tags: expect.arrayContaining(["failover"]) });
    expect(end.body).toMatchObject({ time: T0 + 1000, timeEnd: T0 + 4000, tags: expect.arrayContaining(["incident"]) });
    for (const r of received) for (const k of Object.keys(r.body)) expect(["time", "timeEnd", "tags", "text"]).toContain(k);
  });

  it("a refusing or silent Grafana is logged without the token, and the push gives up", async () => {
    const lines: string[] = [];
    const grafana = new GrafanaAnnotations(base, TOKEN, "sandbox", (l) => lines.push(l));
    mode = "refuse";
    expect(await grafana.push({ time: T0, tags: ["t"], text: "x" })).toBe(false);
    mode = "hang";
    expect(await grafana.push({ time: T0, tags: ["t"], text: "x" })).toBe(false);
    mode = "ok";
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("HTTP 500");
    expect(lines[1]).toContain("no answer within");
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("without GRAFANA_URL nothing is pushed", () => {
    expect(GrafanaAnnotations.fromEnv("sandbox", {})).toBeNull();
  });
});
