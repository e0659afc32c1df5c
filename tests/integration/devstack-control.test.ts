/**
 * The devstack control API against a real sandbox: refusals (401/403/400/404/405/413), each
 * primitive and its TTL expiry, and a reset from several faults at once back to healthy.
 */
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTopology } from "../../devstack/topology/health";
import { isAlive, readState, type StackState } from "../../devstack/state";
import { allLayersOk, controlApi, masterPort, onMaster } from "./helpers/devstack-api";
import { PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const settings = testSettings(PORTS.control);
let state: StackState;
let control: ReturnType<typeof controlApi>;

const target = () => ({
  auth: { password: state.password },
  sentinelAuth: {},
  masterName: state.masterName,
  nodes: state.nodes.map((n) => ({ name: n.name, port: n.port })),
  sentinels: state.sentinels.map((n) => ({ name: n.name, port: n.port })),
});
/** Current pid of a node, from the state file the supervisor keeps true. */
const pidOf = (name: string) => [...readState(settings.dir)!.nodes, ...readState(settings.dir)!.sentinels].find((n) => n.name === name)!.pid;
/** "T" while SIGSTOPped. */
const procState = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
};
const fillerKeys = () => onMaster(state, (r) => r.keys("chaos:filler:*").then((k) => k.length));
const activeFaults = async () => (await control("GET", "/faults")).body.faults as { kind: string; target: string; expiresAt: string }[];

beforeAll(async () => {
  state = await startStack(settings);
  control = controlApi(state);
});
afterAll(() => stopStack(settings));

describe("control API refusals", () => {
  it("401 without or with a wrong token; 404, 405, 400 and 413 with actionable messages", async () => {
    const none = await control("GET", "/faults", undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatch(/Bearer/);
    expect((await control("POST", "/reset", undefined, { token: "not-the-token" })).status).toBe(401);
    expect((await control("GET", "/nope")).status).toBe(404);
    const wrong = await control("GET", "/proxy/latency");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect((await control("POST", "/proxy/latency", "{not json")).body.error).toMatch(/not valid JSON/);
    const missing = await control("POST", "/proxy/latency", { jitterMs: 5 });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/^ms: /);
    const tooLong = await control("POST", "/proxy/cut", { ttlSeconds: 601 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatch(/at most 600/);
    expect((await control("POST", "/proxy/cut", { mode: "explode" })).body.error).toMatch(/refuse.*reset/);
    expect((await control("POST", "/proxy/cut", { ttl: 5 })).body.error).toMatch(/Unrecognized key/);
    const big = await control("POST", "/proxy/cut", JSON.stringify({ pad: "x".repeat(70 * 1024) }));
    expect(big.status).toBe(413);
    expect(await activeFaults()).toEqual([]);
  });

  it("403 for a pid or node name the devstack did not spawn, and no harm done", async () => {
    const own = await control("POST", "/processes/kill", { pid: process.pid });
    expect(own.status).toBe(403);
    expect(own.body.error).toMatch(/not a running process this devstack started/);
    expect(isAlive(process.pid)).toBe(true);
    expect((await control("POST", "/processes/freeze", { pid: 1 })).status).toBe(403);
    const stranger = await control("POST", "/nodes/redis-prod/kill");
    expect(stranger.status).toBe(403);
    expect(stranger.body.error).toMatch(/acts only on redis-a, redis-b, sentinel-1/);
    expect((await control("POST", "/processes/kill", { pid: "12" })).status).toBe(400);
  });
});

describe("control API primitives", () => {
  it("kill by pid, restart by name; a kill's TTL restarts the node", async () => {
    const pid = pidOf("sentinel-2")!;
    const killed = await control("POST", "/processes/kill", { pid, ttlSeconds: 60 });
    expect(killed.status).toBe(200);
    expect(isAlive(pid)).toBe(false);
    expect((await control("POST", "/processes/kill", { pid })).status).toBe(403);
    expect((await control("POST", "/nodes/sentinel-2/kill")).status).toBe(409);
    expect((await control("POST", "/nodes/sentinel-2/restart")).status).toBe(200);
    expect(isAlive(pidOf("sentinel-2"))).toBe(true);
    expect(await activeFaults()).toEqual([]);

    const mp = await masterPort(state);
    const replica = state.nodes.find((n) => n.port !== mp)!.name;
    const before = pidOf(replica)!;
    expect((await control("POST", `/nodes/${replica}/kill`, { ttlSeconds: 1 })).body.fault).toMatchObject({
      kind: "node-kill",
      target: replica,
      ttlSeconds: 1,
    });
    expect(isAlive(before)).toBe(false);
    const after = await waitFor(
      "the TTL to restart the replica",
      () => {
        const p = pidOf(replica);
        return p && p !== before && isAlive(p) && p;
      },
      5000,
    );
    expect(after).not.toBe(before);
    await waitFor("topology healthy again", async () => (await checkTopology(target())).healthy, 30_000, 250);
  });

  it("freeze and thaw, explicitly and by TTL", async () => {
    const pid = pidOf("sentinel-1")!;
    expect((await control("POST", "/nodes/sentinel-1/freeze", { ttlSeconds: 60 })).status).toBe(200);
    expect(procState(pid)).toBe("T");
    expect(readState(settings.dir)!.sentinels.find((s) => s.name === "sentinel-1")!.frozen).toBe(true);
    expect((await control("POST", "/nodes/sentinel-1/thaw")).status).toBe(200);
    expect(procState(pid)).not.toBe("T");
    expect(await activeFaults()).toEqual([]);

    expect((await control("POST", "/processes/freeze", { pid, ttlSeconds: 1 })).status).toBe(200);
    expect(procState(pid)).toBe("T");
    await waitFor("the TTL to thaw sentinel-1", () => procState(pid) !== "T", 5000, 50);
    expect(await activeFaults()).toEqual([]);
  });

  it("memory fill reaches its target; filler is removed on request and by TTL", async () => {
    const fill = await control("POST", "/memory/fill", { targetPercent: 50, ttlSeconds: 60 });
    expect(fill.status).toBe(200);
    expect(fill.body.percent).toBeGreaterThanOrEqual(50);
    expect(fill.body.reachedTarget).toBe(true);
    const keys = await fillerKeys();
    expect(keys).toBe(fill.body.keysWritten);
    const used = await onMaster(state, async (r) => Number((await r.info("memory")).match(/used_memory:(\d+)/)![1]) / fill.body.maxmemory);
    expect(used).toBeGreaterThanOrEqual(0.49);
    const removed = await control("DELETE", "/memory/filler");
    expect(removed.body.removed).toBe(keys);
    expect(await fillerKeys()).toBe(0);
    expect(await activeFaults()).toEqual([]);

    expect((await control("POST", "/memory/fill", { targetPercent: 20, ttlSeconds: 1 })).status).toBe(200);
    expect(await fillerKeys()).toBeGreaterThan(0);
    await waitFor("filler gone after its TTL", async () => (await fillerKeys()) === 0 && (await activeFaults()).length === 0, 5000);
  });

  it("a hung layer accepts connections and never answers, until DELETE or its TTL", async () => {
    const l2 = state.layers.find((l) => l.id === "L2")!;
    expect((await control("POST", "/layers/L2/hang", { ttlSeconds: 2 })).status).toBe(200);
    const accepted = await new Promise<boolean>((resolve) => {
      const s = net.connect(l2.port, "127.0.0.1", () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    expect(accepted).toBe(true);
    await expect(fetch(`${l2.url}/health`, { signal: AbortSignal.timeout(700) })).rejects.toThrow(/aborted|timeout/i);
    await waitFor("L2 answers after the TTL", async () => (await fetch(`${l2.url}/health`, { signal: AbortSignal.timeout(500) })).status === 200, 5000);

    expect((await control("POST", "/layers/L1/hang", { ttlSeconds: 60 })).status).toBe(200);
    expect((await control("GET", "/status")).body.layers.find((l: { id: string }) => l.id === "L1").hung).toBe(true);
    expect((await control("DELETE", "/layers/L1/hang")).body).toEqual({ layer: "L1", hung: false });
    expect((await fetch(`${state.layers[0].url}/health`, { signal: AbortSignal.timeout(1000) })).status).toBe(200);
    expect((await control("POST", "/layers/L9/hang")).status).toBe(404);
  });

  it("GET /faults shows expiry; /status, answers and the log carry no secret", async () => {
    const before = Date.now();
    expect((await control("POST", "/proxy/latency", { ms: 5, ttlSeconds: 30 })).status).toBe(200);
    const [fault] = await activeFaults();
    expect(fault).toMatchObject({ kind: "proxy-latency", target: "proxy" });
    const expires = Date.parse(fault.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 29_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30_000);
    const status = await control("GET", "/status");
    expect(status.body).toMatchObject({ masterName: "mymaster", proxy: { port: state.proxy!.port, faults: { latency: { ms: 5 } } } });
    for (const text of [status.text, (await control("GET", "/faults")).text, fs.readFileSync(`${settings.dir}/supervisor.log`, "utf8")]) {
      expect(text).not.toContain(state.password);
      expect(text).not.toContain(state.controlToken);
    }
    expect((await control("DELETE", "/proxy/faults")).body.undone).toEqual(["proxy-latency"]);
  });
});

describe("reset", () => {
  it("from master killed + proxy latency + filler + a frozen sentinel + a hung layer, back to healthy", async () => {
    const mp = await masterPort(state);
    const master = state.nodes.find((n) => n.port === mp)!.name;
    expect((await control("POST", "/memory/fill", { targetPercent: 30, ttlSeconds: 300 })).status).toBe(200);
    expect((await control("POST", "/proxy/latency", { ms: 80, ttlSeconds: 300 })).status).toBe(200);
    expect((await control("POST", "/nodes/sentinel-3/freeze", { ttlSeconds: 300 })).status).toBe(200);
    expect((await control("POST", "/layers/L3/hang", { ttlSeconds: 300 })).status).toBe(200);
    expect((await control("POST", `/nodes/${master}/kill`, { ttlSeconds: 300 })).status).toBe(200);
    expect(await activeFaults()).toHaveLength(5);
    // The hard case: Sentinel has already failed over, so the old master must rejoin as a replica.
    await waitFor("sentinels to fail over", async () => (await masterPort(state)) !== mp, 30_000, 200);

    const started = Date.now();
    const reset = await control("POST", "/reset");
    expect(reset.status, reset.text).toBe(200);
    console.log(`reset after a master kill and four other faults took ${Date.now() - started} ms (${JSON.stringify(reset.body)})`);
    expect(reset.body.undone).toHaveLength(5);

    const health = await checkTopology(target());
    expect(health.problems).toEqual([]);
    expect(health.healthy).toBe(true);
    expect(await allLayersOk(state)).toBe(true);
    expect(await activeFaults()).toEqual([]);
    expect((await control("GET", "/faults")).body.proxy).toEqual({ latency: null, cut: null, blackhole: false });
    expect(await fillerKeys()).toBe(0);
    expect(procState(pidOf("sentinel-3")!)).not.toBe("T");
    expect(isAlive(pidOf(master))).toBe(true);
    expect(health.roles[master]).toBe("slave");
    expect((await control("GET", "/status")).body.sentinelsAgree).toBe(true);
  });
});
