import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { Snapshot } from "../../lib/snapshot/types";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { ALL_OK, layerStatuses, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings } from "./helpers/stack";

const OUTAGE = { L1: "degraded", L2: "degraded", L3: "unavailable", CP: "degraded" };
const outageSeen = (s: Snapshot) => JSON.stringify(layerStatuses(s)) === JSON.stringify(OUTAGE);
const masterOf = (s: Snapshot) => s.redis.nodes.find((n) => n.up && n.role === "master")!;

describe("collector against a live devstack", () => {
  const settings = testSettings(PORTS.collector);
  let state: StackState;
  let consoleApp: RunningConsole;

  beforeAll(async () => {
    state = await startStack(settings);
    consoleApp = await startConsole({ port: CONSOLE_PORTS.collector, devstackDir: settings.dir });
  });
  afterAll(async () => {
    await consoleApp?.stop();
    await stopStack(settings);
  });

  it("sees the healthy stack: nodes, sentinels, four layers ok and in agreement", async () => {
    // Agreement is judged after the contract's grace, a tick or two after the statuses: wait for both.
    const s = await waitForSnapshot(consoleApp.url, "all layers ok and in agreement", (x) => ALL_OK(x) && x.layers.every((l) => l.agrees));
    expect(s.redis.nodes.map((n) => n.role).sort()).toEqual(["master", "replica"]);
    expect(s.sentinel).toMatchObject({ masterName: "mymaster", quorum: 2, failoverInProgress: false });
    expect(s.sentinel.sentinels.filter((x) => x.up)).toHaveLength(3);
    expect(s.layers.every((l) => l.agrees && l.expected === "ok")).toBe(true);
    const layer = s.layers.find((l) => l.id === "L1")!;
    expect(layer.observed.requests[0].headers?.["x-ratelimit-status"]).toBe("ok");
  });

  it("proxy cut: L1 and L2 degrade, L3 fails hard, CP degrades, as the contract says; then recovers", async () => {
    await control(state, "POST", "/proxy/cut", { ttlSeconds: 60 });
    const during = await waitForSnapshot(consoleApp.url, "outage statuses", (s) => outageSeen(s) && s.layers.every((l) => l.agrees));
    expect(during.redis.available).toBe(false);
    expect(during.layers.find((l) => l.id === "L1")!.summary).toContain("X-RateLimit-Status: degraded");
    // The nodes themselves are fine: only the layers' path to Redis is cut.
    expect(during.redis.nodes.every((n) => n.up)).toBe(true);
    await control(state, "DELETE", "/proxy/faults");
    await waitForSnapshot(consoleApp.url, "recovery after the cut", ALL_OK);
  });

  it("master frozen: the node shows down and the layers degrade by contract", async () => {
    const before = await consoleApp.snapshot();
    const master = masterOf(before);
    await control(state, "POST", `/nodes/${master.id}/freeze`, { ttlSeconds: 60 });
    try {
      const during = await waitForSnapshot(consoleApp.url, "frozen master seen", (s) => {
        const n = s.redis.nodes.find((x) => x.id === master.id);
        return !!n && !n.up && layerStatuses(s).L3 === "unavailable" && layerStatuses(s).L1 === "degraded";
      });
      expect(during.redis.nodes.find((x) => x.id === master.id)!.error).toMatch(/no answer within/);
    } finally {
      await control(state, "POST", "/reset");
    }
    await waitForSnapshot(consoleApp.url, "recovery after the freeze", (s) => ALL_OK(s) && s.redis.nodes.every((n) => n.up), 60_000);
  });

  it("master killed: down in the snapshot, L3 unavailable; Sentinel fails over, and the layers, pinned to the old master as the platform's are, recover only once the address is pointed at the new one", async () => {
    const master = masterOf(await consoleApp.snapshot());
    await control(state, "POST", `/nodes/${master.id}/kill`, { ttlSeconds: 120 });
    try {
      const down = await waitForSnapshot(consoleApp.url, "killed master seen", (s) => {
        const n = s.redis.nodes.find((x) => x.id === master.id);
        return !!n && !n.up && layerStatuses(s).L3 === "unavailable" && !!s.alerts.find((a) => a.rule === "redis_up")?.firing;
      });
      expect(down.alerts.find((a) => a.rule === "redis_up")).toMatchObject({ firing: true, severity: "page" });
      // Sentinel's word, not only the promoted node's own role (which it reports a moment before +switch-master).
      const switched = await waitForSnapshot(
        consoleApp.url,
        "a new master",
        (s) => !!masterOf(s) && masterOf(s).id !== master.id && s.sentinel.master.addr === masterOf(s).addr,
        60_000,
      );
      expect(switched.sentinel.master.addr).toBe(masterOf(switched).addr);
      // The layers' address still leads to the dead node: Redis is up for everyone but them.
      const stuck = await waitForSnapshot(
        consoleApp.url,
        "the layers still on the old address",
        (s) => s.seq > switched.seq && layerStatuses(s).L3 === "unavailable",
      );
      expect(stuck.redis.layerAddress?.state).toBe("unreachable");
      expect(stuck.redis.available).toBe(false);
    } finally {
      // Re-points the pinned address at the master of now (the sandbox's "someone changed the DNS").
      await control(state, "POST", "/reset");
    }
    const healed = await waitForSnapshot(consoleApp.url, "layers ok on the new master", (s) => ALL_OK(s) && masterOf(s)?.id !== master.id, 60_000);
    expect(healed.redis.layerAddress?.state).toBe("master");
    const timeline = (await consoleApp.get<{ events: { title: string }[] }>("/api/timeline")).body.events.map((e) => e.title);
    expect(timeline.some((t) => t.startsWith(`${master.id} (master) down`))).toBe(true);
    expect(timeline.some((t) => /^L3 unavailable/.test(t))).toBe(true);
  });

  it("exposes /api/metrics in Prometheus format that promtool accepts, with redis_exporter names", async () => {
    const res = await fetch(`${consoleApp.url}/api/metrics`, { signal: AbortSignal.timeout(5000) });
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^redis_up\{node="redis-a",addr="127\.0\.0\.1:\d+",deployment="sandbox"\} 1$/m);
    expect(text).toMatch(/^redis_memory_used_bytes\{/m);
    expect(text).toMatch(/^# TYPE redis_evicted_keys_total counter$/m);
    expect(text).toMatch(/^rrc_layer_status\{layer="L3",status="ok",deployment="sandbox"\} 1$/m);
    expect(text).toMatch(/^rrc_layer_contract_agrees\{layer="L1",deployment="sandbox"\} 1$/m);
    expect(text).not.toContain(state.password);
    // promtool exits non-zero on any format or naming problem.
    execFileSync("promtool", ["check", "metrics"], { input: text });
  });

  it("keeps a history and an exportable timeline, and never leaks the password", async () => {
    const history = await consoleApp.get<{ nodes: Record<string, unknown[]> }>("/api/history?minutes=5");
    expect(history.status).toBe(200);
    expect(Object.keys(history.body.nodes).length).toBeGreaterThanOrEqual(2);
    expect((await consoleApp.get("/api/history?minutes=999")).status).toBe(400);
    const md = await consoleApp.get<string>("/api/timeline?format=markdown");
    expect(md.body).toContain("# Incident timeline");
    for (const route of ["/api/snapshot", "/api/timeline", "/api/history?minutes=5"]) {
      expect(JSON.stringify((await consoleApp.get(route)).body)).not.toContain(state.password);
    }
    expect(consoleApp.output()).not.toContain(state.password);
  });
});

describe("console started while Redis is down", () => {
  const settings = testSettings(PORTS.collectorCold);
  let consoleApp: RunningConsole;
  afterAll(async () => {
    await consoleApp?.stop();
    await stopStack(settings);
  });

  it("still serves, says what is down, and picks the sandbox up when it comes", async () => {
    await stopStack(settings);
    consoleApp = await startConsole({ port: CONSOLE_PORTS.collectorCold, devstackDir: settings.dir, env: { DEVSTACK_BASE_PORT: String(PORTS.collectorCold) } });
    expect((await consoleApp.get("/api/health")).body).toEqual({ status: "ok" });
    const blind = await waitForSnapshot(consoleApp.url, "a first look with nothing up", (s) => s.seq > 1);
    expect(blind.redis.nodes.every((n) => !n.up)).toBe(true);
    expect(blind.redis.nodes[0].error).toMatch(/refused|not connected/);
    expect(blind.layers.every((l) => l.status === "unavailable")).toBe(true);
    expect(blind.deployment.chaosRefusal).toMatch(/not running/);
    await startStack(settings);
    const live = await waitForSnapshot(consoleApp.url, "the sandbox picked up", ALL_OK, 60_000);
    expect(live.deployment.chaosRefusal).toBeNull();
  });
});
