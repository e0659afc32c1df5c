/**
 * The fault proxy against a real Sentinel sandbox: it forwards to the master, adds latency
 * without reordering, cuts (FIN or RST), blackholes, undoes faults on TTL expiry, and follows
 * a real SENTINEL FAILOVER so the layers keep working against the new master.
 */
import net from "node:net";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { infoFields } from "../../lib/redis/info";
import type { StackState } from "../../devstack/state";
import { allLayersOk, controlApi, layerApi, masterPort } from "./helpers/devstack-api";
import { PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

// This file is about the following address (the proxy on +switch-master); the default is pinned.
const settings = testSettings(PORTS.proxy, ["--layer-addressing", "follow"]);
let state: StackState;
let control: ReturnType<typeof controlApi>;
const clients: Redis[] = [];

/** A client through the proxy, the way a layer connects (short timeouts, quick reconnects). */
function viaProxy(): Redis {
  const c = new Redis({
    port: state.proxy!.port,
    host: "127.0.0.1",
    password: state.password,
    connectTimeout: 1000,
    commandTimeout: 1500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 100,
  });
  c.on("error", () => {});
  clients.push(c);
  return c;
}

async function ready(c: Redis): Promise<Redis> {
  await waitFor("client ready", () => c.status === "ready", 5000, 20);
  return c;
}

async function pingMs(c: Redis): Promise<number> {
  const t = performance.now();
  expect(await c.ping()).toBe("PONG");
  return performance.now() - t;
}

/** A raw TCP connection to the proxy and what happens to it. */
function rawConnection() {
  const events: { connected: boolean; data: string; closed: boolean; error: string | null } = { connected: false, data: "", closed: false, error: null };
  const socket = net.connect(state.proxy!.port, "127.0.0.1", () => (events.connected = true));
  socket.on("data", (d) => (events.data += d.toString()));
  socket.on("error", (e: NodeJS.ErrnoException) => (events.error = e.code ?? e.message));
  socket.on("close", () => (events.closed = true));
  return { socket, events };
}

beforeAll(async () => {
  state = await startStack(settings);
  control = controlApi(state);
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await stopStack(settings);
});

describe("fault proxy", () => {
  it("forwards to the current master", async () => {
    const c = await ready(viaProxy());
    const info = infoFields(await c.info("server"));
    expect(Number(info.tcp_port)).toBe(await masterPort(state));
    expect(infoFields(await c.info("replication")).role).toBe("master");
  });

  it("adds round-trip latency, keeps order under jitter, and the TTL undoes it", async () => {
    const c = await ready(viaProxy());
    // Below the 200 ms about to be injected: no latency fault yet.
    expect(await pingMs(c)).toBeLessThan(195);
    expect((await control("POST", "/proxy/latency", { ms: 200, ttlSeconds: 60 })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect(await pingMs(c)).toBeGreaterThanOrEqual(195);

    expect((await control("POST", "/proxy/latency", { ms: 60, jitterMs: 100, ttlSeconds: 2 })).status).toBe(200);
    const key = `proxy:order:${Date.now()}`;
    // Fifty separate writes (not one pipeline buffer), so the proxy sees many chunks to jitter.
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => c.rpush(key, String(i))));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await c.lrange(key, 0, -1)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));

    await waitFor("latency fault to expire", async () => (await control("GET", "/faults")).body.faults.length === 0, 5000);
    expect((await control("GET", "/faults")).body.proxy.latency).toBeNull();
    // Below the 200 ms injected earlier: the latency went with its TTL.
    expect(await pingMs(c)).toBeLessThan(195);
  });

  it("blackhole: connections are accepted, nothing answers; lifting it closes them and new ones work", async () => {
    const c = await ready(viaProxy());
    expect((await control("POST", "/proxy/blackhole", { ttlSeconds: 60 })).status).toBe(200);
    await expect(c.ping()).rejects.toThrow(/timed out/i);
    const raw = rawConnection();
    raw.socket.write("PING\r\n");
    await waitFor("raw connection accepted", () => raw.events.connected, 2000, 10);
    // Nothing may come back while the blackhole stands; give a reply ample time to show up.
    await new Promise((r) => setTimeout(r, 500));
    expect(raw.events).toMatchObject({ data: "", closed: false });

    expect((await control("DELETE", "/proxy/faults")).body.undone).toEqual(["proxy-blackhole"]);
    await waitFor("blackholed raw connection closed", () => raw.events.closed, 2000, 10);
    await waitFor("client answers again", async () => (await c.ping()) === "PONG", 5000);
  });

  it("cut refuse closes new and existing connections; cut reset resets them; the TTL ends the cut", async () => {
    const c = await ready(viaProxy());
    expect((await control("POST", "/proxy/cut", { mode: "refuse", ttlSeconds: 60 })).status).toBe(200);
    await waitFor("existing client to lose its connection", () => c.status !== "ready", 2000, 10);
    const refused = rawConnection();
    await waitFor("refused connection closed", () => refused.events.closed, 2000, 10);
    expect(refused.events.data).toBe("");
    expect(refused.events.error).toBeNull();

    expect((await control("POST", "/proxy/cut", { mode: "reset", ttlSeconds: 1 })).status).toBe(200);
    const reset = rawConnection();
    await waitFor("reset connection closed", () => reset.events.closed, 2000, 10);
    expect(reset.events.error).toBe("ECONNRESET");

    await waitFor("cut to expire", async () => (await control("GET", "/faults")).body.proxy.cut === null, 5000);
    await waitFor("client reconnected", async () => c.status === "ready" && (await c.ping()) === "PONG", 5000);
  });

  it("follows a real SENTINEL FAILOVER: old connections dropped, layers keep working on the new master", async () => {
    const c = await ready(viaProxy());
    const before = await masterPort(state);
    const started = await control("POST", "/sentinel/failover");
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ started: true, previousMaster: `127.0.0.1:${before}` });
    const after = await waitFor("sentinels to name a new master", async () => {
      const p = await masterPort(state);
      return p !== before && p;
    });
    await waitFor("proxy upstream follows", async () => (await control("GET", "/status")).body.proxy.upstream === `127.0.0.1:${after}`, 10_000);
    // The long-lived client was dropped by the proxy and reconnected to the new master.
    await waitFor("client on the new master", async () => Number(infoFields(await c.info("server")).tcp_port) === after, 10_000);
    await waitFor("layers ok on the new master", () => allLayersOk(state), 15_000);

    const layer = layerApi(state);
    const session = await layer("L3", "POST", "/sessions", { tenant: "t-failover" });
    expect(session.status).toBe(201);
    const onNew = new Redis({ port: after, password: state.password, lazyConnect: true, commandTimeout: 1000 });
    try {
      await onNew.connect();
      expect(await onNew.exists(`l3:session:${session.body.id}`)).toBe(1);
      expect(infoFields(await onNew.info("replication")).role).toBe("master");
    } finally {
      onNew.disconnect();
    }
    const l1 = await layer("L1", "GET", "/after-failover");
    expect(l1.headers.get("x-ratelimit-status")).toBe("ok");
  });
});
