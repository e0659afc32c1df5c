/**
 * The layers' addressing against a real Sentinel sandbox with the platform's client models
 * (L1 like APISIX's keepalive pool, L2/L3/CP like redis-rs ConnectionManager): after a failover
 * a pinned address keeps the layers on the old master, which answers READONLY once it is a
 * replica, and the layers say so; a following address recovers. A master restart is timed per
 * client model next to the guide's 2-3 s. The measured numbers are printed for the README.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { ControlClient } from "../../lib/contract/control-client";
import { LAYER_IDS, type LayerId } from "../../lib/contract/failure-contract";
import { controlApi, layerApi, masterPort } from "./helpers/devstack-api";
import { PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

type Health = { id: LayerId; status: number; state: string; redisErrorClass?: string; redisError?: string };

async function health(state: StackState): Promise<Health[]> {
  const layer = layerApi(state);
  return Promise.all(
    LAYER_IDS.map(async (id) => {
      try {
        const a = await layer(id, "GET", "/health");
        return { id, status: a.status, state: a.body?.status ?? "?", redisErrorClass: a.body?.redisErrorClass, redisError: a.body?.redisError };
      } catch {
        return { id, status: 0, state: "no answer" };
      }
    }),
  );
}
const allOk = async (state: StackState) => (await health(state)).every((h) => h.state === "ok");

/** Seconds from `t0` until every layer's health is ok again, measured by polling every 100 ms. */
async function recoverySeconds(state: StackState, t0: number, timeoutMs: number): Promise<number> {
  await waitFor("every layer ok", () => allOk(state), timeoutMs, 100);
  return (Date.now() - t0) / 1000;
}

async function failoverTo(state: StackState): Promise<{ before: number; after: number; t: number }> {
  const control = controlApi(state);
  const before = await masterPort(state);
  const t = Date.now();
  expect((await control("POST", "/sentinel/failover")).status).toBe(200);
  const after = await waitFor(
    "a new master",
    async () => {
      const p = await masterPort(state);
      return p !== before && p;
    },
    30_000,
  );
  return { before, after, t };
}

/** Restarts the master through the control API and shows the restart happened: a new process on the same port. */
async function restartMaster(state: StackState): Promise<number> {
  const before = (await ControlClient.forState(state).status()).nodes.find((n) => n.role === "master")!;
  const t = Date.now();
  const res = await controlApi(state)("POST", `/nodes/${before.name}/restart`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ node: before.name, running: true });
  expect(res.body.pid, `${before.name}'s pid after the restart`).not.toBe(before.pid);
  return t;
}

describe("layer addressing with the platform's client models (apisix-redisrs)", () => {
  // Started following, so a pinned address is a fault these cases set and clear (the sandbox's default is pinned).
  const settings = testSettings(PORTS.layerAddressing, ["--layer-client", "apisix-redisrs", "--layer-addressing", "follow"]);
  let state: StackState;

  beforeAll(async () => {
    state = await startStack(settings);
    await waitFor("layers ok at start", () => allOk(state), 20_000);
  });
  afterAll(async () => {
    await controlApi(state)("POST", "/reset").catch(() => {});
    await stopStack(settings);
  });

  it("rejects a bad addressing mode with a 400 naming the modes", async () => {
    const a = await controlApi(state)("POST", "/proxy/addressing", { mode: "sideways" });
    expect(a.status).toBe(400);
    expect(a.body.error).toMatch(/follow.*pinned/);
  });

  it("pinned: after a failover the layers keep writing to the old master, now a replica, and fail with READONLY until the address follows again", async () => {
    const client = ControlClient.forState(state);
    const pinned = await client.setAddressing({ mode: "pinned", ttlSeconds: 120 });
    const firstMaster = await masterPort(state);
    expect(pinned.mode).toBe("pinned");
    expect(pinned.pinnedTo).toBe(`127.0.0.1:${firstMaster}`);

    const { after, t } = await failoverTo(state);
    // The old master rejoins as a replica of the new one: every layer's write answers READONLY.
    const readonly = await waitFor(
      "every layer reports READONLY",
      async () => {
        const h = await health(state);
        return h.every((x) => x.redisErrorClass === "READONLY") && h;
      },
      30_000,
      100,
    );
    const readonlyS = (Date.now() - t) / 1000;
    expect(readonly.find((h) => h.id === "L3")!.status).toBe(503);
    expect(readonly.find((h) => h.id === "L1")!.state).toBe("degraded");

    // The request paths carry the error class too: L1 fails open with the header, L3 fails hard.
    const layer = layerApi(state);
    const l1 = await layer("L1", "GET", "/pinned");
    expect(l1.status).toBe(200);
    expect(l1.headers.get("x-redis-error")).toBe("READONLY");
    const l3 = await layer("L3", "POST", "/sessions", { tenant: "t-pinned" });
    expect(l3.status).toBe(503);
    expect(l3.body.redisErrorClass).toBe("READONLY");

    // No client model follows Sentinel: over the next 10 s not one layer recovers by itself.
    const window = Date.now() + 10_000;
    let recovered: Health | undefined;
    while (Date.now() < window && !recovered) {
      recovered = (await health(state)).find((h) => h.state === "ok");
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered).toBeUndefined();
    const status = await client.status();
    expect(status.proxy.upstream).toBe(`127.0.0.1:${firstMaster}`);
    expect(after).not.toBe(firstMaster);

    // "Someone changes DNS": following again, the layers recover.
    const t1 = Date.now();
    const back = await client.clearAddressing();
    expect(back.mode).toBe("follow");
    const recoverS = await recoverySeconds(state, t1, 20_000);
    console.log(
      `[measured] pinned failover: READONLY on every layer ${readonlyS.toFixed(1)} s after SENTINEL FAILOVER, no recovery in the 10 s window; ok ${recoverS.toFixed(1)} s after the address follows again`,
    );
  });

  it("follow: after a failover every layer recovers on the new master", async () => {
    const { t } = await failoverTo(state);
    const secs = await recoverySeconds(state, t, 30_000);
    console.log(`[measured] follow failover (apisix-redisrs): every layer ok ${secs.toFixed(1)} s after SENTINEL FAILOVER`);
  });

  it("restart: the master restarted, the redis-rs and APISIX models are ok again (timed next to the guide's 2-3 s)", async () => {
    const t = await restartMaster(state);
    const secs = await recoverySeconds(state, t, 30_000);
    console.log(`[measured] restart (apisix-redisrs): every layer ok ${secs.toFixed(1)} s after the restart began (guide: 2-3 s)`);
  });
});

describe("the tuned ioredis model, for comparison", () => {
  const settings = testSettings(PORTS.layerAddressingIoredis, ["--layer-client", "ioredis-tuned", "--layer-addressing", "follow"]);
  let state: StackState;

  beforeAll(async () => {
    state = await startStack(settings);
    await waitFor("layers ok at start", () => allOk(state), 20_000);
  });
  afterAll(async () => {
    await controlApi(state)("POST", "/reset").catch(() => {});
    await stopStack(settings);
  });

  it("restart: the master restarted, the tuned ioredis layers are ok again", async () => {
    const t = await restartMaster(state);
    const secs = await recoverySeconds(state, t, 30_000);
    console.log(`[measured] restart (ioredis-tuned): every layer ok ${secs.toFixed(1)} s after the restart began (guide: 2-3 s)`);
  });

  it("pinned failover: the tuned ioredis layers fail with READONLY too (no model follows Sentinel)", async () => {
    const client = ControlClient.forState(state);
    await client.setAddressing({ mode: "pinned", ttlSeconds: 120 });
    const { t } = await failoverTo(state);
    await waitFor("every layer reports READONLY", async () => (await health(state)).every((x) => x.redisErrorClass === "READONLY"), 30_000, 100);
    console.log(`[measured] pinned failover (ioredis-tuned): READONLY on every layer ${((Date.now() - t) / 1000).toFixed(1)} s after SENTINEL FAILOVER`);
    await client.clearAddressing();
    await waitFor("every layer ok after following again", () => allOk(state), 20_000);
  });
});
