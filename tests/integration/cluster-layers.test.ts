/**
 * The layer stand-ins on the cluster sandbox: every layer serves on cluster clients, their keys
 * sit where hashSlot says, L1 fails open for the tenants of a killed master's shard only, and the
 * control API's failover, fill, misbehave and reset act on real nodes.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSlot } from "../../lib/contract/cluster-keys";
import { ClusterControlClient } from "../../lib/contract/cluster-control-client";
import { clusterDown, clusterUp } from "../../devstack/cluster/cluster-lifecycle";
import { resolveClusterSettings } from "../../devstack/cluster/cluster-settings";
import { clusterStatus } from "../../devstack/cluster/cluster-status";
import type { ClusterState } from "../../devstack/cluster/state";
import { withRedis } from "../../devstack/redis-client";
import { PORTS, waitFor } from "./helpers/stack";

const repoRoot = path.resolve(__dirname, "../..");
const basePort = PORTS.clusterLayers;
const dirName = `.devstack-test-cluster-layers-${basePort}`;
const run = `${Date.now().toString(36)}`;

let state: ClusterState;

function control(method: string, route: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; body: any }> {
  return ClusterControlClient.forState(state).request(method, route, body, { timeoutMs });
}

async function layer(id: string, method: string, route: string, init: { body?: unknown; tenant?: string } = {}) {
  const url = state.layers.find((l) => l.id === id)!.url;
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { ...(init.tenant ? { "x-tenant-id": init.tenant } : {}), ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const l1 = (tenant: string) => layer("L1", "GET", "/", { tenant }).then((r) => ({ status: r.status, rateLimit: r.headers.get("x-ratelimit-status") }));
const l1Error = (tenant: string) => layer("L1", "GET", "/", { tenant }).then((r) => (r.body?.redisError as string | undefined) ?? null);

type Ranges = [number, number][];
const parseSlots = (slots: string): Ranges =>
  slots.split(",").map((r) => {
    const [a, b] = r.split("-").map(Number);
    return [a, b ?? a];
  });
const inRanges = (slot: number, ranges: Ranges) => ranges.some(([a, b]) => slot >= a && slot <= b);

/** Who serves which slots now, from GET /status. */
async function masters(): Promise<{ node: string; port: number; slots: Ranges }[]> {
  const s = (await control("GET", "/status")).body;
  return s.masters.map((m: { node: string; slots: string }) => ({
    node: m.node,
    port: state.nodes.find((n) => n.name === m.node)!.port,
    slots: parseSlots(m.slots),
  }));
}

/** A fresh tenant whose slot is on `node`'s shard (or off it). */
function tenantOn(ranges: Ranges, on = true): string {
  for (let i = 0; ; i++) {
    const t = `t-${run}-${i}`;
    if (inRanges(hashSlot(t), ranges) === on) return t;
  }
}

/** The masters holding `key`: CLUSTER GETKEYSINSLOT on each (a plain EXISTS on another shard's key would be MOVED). */
async function holders(key: string): Promise<string[]> {
  const out: string[] = [];
  for (const m of await masters()) {
    const keys = (await withRedis({ port: m.port, password: state.password }, (r) => r.call("CLUSTER", "GETKEYSINSLOT", hashSlot(key), 1000))) as string[];
    if (keys.includes(key)) out.push(m.node);
  }
  return out;
}

const rolesAsCreated = async () => {
  const s = (await control("GET", "/status")).body;
  return s.nodes.every((n: { role: string; createdRole: string }) => n.role === n.createdRole);
};

describe("the layers on the cluster sandbox", () => {
  beforeAll(async () => {
    await clusterDown(path.join(repoRoot, dirName));
    state = await clusterUp(resolveClusterSettings(["--base-port", String(basePort), "--dir", dirName], process.env, repoRoot));
  });
  afterAll(async () => {
    await clusterDown(state?.dir ?? path.join(repoRoot, dirName));
  });

  it("lists its layers in the state file, status --json and GET /status", async () => {
    expect(state.layers).toEqual(["L1", "L2", "L3", "CP"].map((id, i) => ({ id, port: basePort + 30 + i, url: `http://127.0.0.1:${basePort + 30 + i}` })));
    expect((await clusterStatus(state)).layers).toEqual(state.layers);
    const status = (await control("GET", "/status")).body;
    expect(status.layers.map((l: { id: string; misbehaving: unknown; hung: boolean }) => [l.id, l.misbehaving, l.hung])).toEqual([
      ["L1", null, false],
      ["L2", null, false],
      ["L3", null, false],
      ["CP", null, false],
    ]);
    expect(JSON.stringify(status)).not.toContain(state.password);
  });

  it("every layer serves: L1 ok, L2 with its budget enforced, L3 sessions, CP's tenant portal", async () => {
    for (const id of ["L1", "L2", "L3", "CP"]) expect((await layer(id, "GET", "/health")).body, id).toEqual({ status: "ok" });
    expect(await l1(`t-${run}-l1`)).toEqual({ status: 200, rateLimit: "ok" });

    const tenant = `t-${run}-l2`;
    const first = await layer("L2", "POST", "/v1/completions", { body: { tenant, prompt: `budget ${run} one`, maxTokens: 100_000 } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ cached: false, budget: "enforced" });
    const again = await layer("L2", "POST", "/v1/completions", { body: { tenant, prompt: `budget ${run} one`, maxTokens: 100_000 } });
    expect(again.body).toMatchObject({ cached: true });
    const over = await layer("L2", "POST", "/v1/completions", { body: { tenant, prompt: `budget ${run} two`, maxTokens: 100_000 } });
    expect(over.status).toBe(429);
    expect(over.body.budget).toBe("enforced");

    const created = await layer("L3", "POST", "/sessions", { body: { tenant: `t-${run}-l3` } });
    expect(created.status).toBe(201);
    const read = await layer("L3", "GET", `/sessions/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, tenant: `t-${run}-l3`, a2a: { state: "idle" } });
    expect((await layer("L3", "POST", `/sessions/${created.body.id}/approvals`, { body: { action: "refund" } })).status).toBe(202);
    expect((await layer("L3", "GET", `/hitl/t-${run}-l3`)).body.items[0]).toMatchObject({ session: created.body.id, action: "refund" });
    expect((await layer("L3", "DELETE", `/sessions/${created.body.id}`)).status).toBe(204);
    expect((await layer("L3", "GET", `/sessions/${created.body.id}`)).status).toBe(404);

    const portal = await layer("CP", "GET", `/tenants/t-${run}-cp`);
    expect(portal.status).toBe(200);
    expect(portal.body).toMatchObject({ id: `t-${run}-cp`, plan: "enterprise" });
    expect((await layer("CP", "PUT", `/tenants/t-${run}-cp/settings`, { body: { settings: { region: "eu" } } })).body).toEqual({ settings: { region: "eu" } });
  });

  it("puts a tenant's L1 keys and a session's L3 keys on the shard of their hash slot", async () => {
    const tenant = `t-${run}-keys`;
    expect((await l1(tenant)).rateLimit).toBe("ok");
    const owner = (await masters()).find((m) => inRanges(hashSlot(tenant), m.slots))!;
    // The tenant's config is written off the request path: wait for it.
    for (const key of [`l1:rl:{${tenant}}`, `l1:tenant:{${tenant}}`]) {
      const slot = Number(await withRedis({ port: owner.port, password: state.password }, (r) => r.call("CLUSTER", "KEYSLOT", key)));
      expect(slot).toBe(hashSlot(key));
      expect(slot).toBe(hashSlot(tenant));
      expect(await waitFor(`${key} on ${owner.node}`, async () => ((await holders(key)).join() === owner.node ? true : null), 5000)).toBe(true);
    }

    const session = (await layer("L3", "POST", "/sessions", { body: { tenant } })).body.id as string;
    const sessionOwner = (await masters()).find((m) => inRanges(hashSlot(session), m.slots))!;
    for (const key of [`l3:session:{${session}}`, `l3:a2a:{${session}}`]) {
      expect(hashSlot(key)).toBe(hashSlot(session));
      expect(await holders(key)).toEqual([sessionOwner.node]);
    }
  });

  it("misbehave is turned on and off per layer, as on the Sentinel sandbox", async () => {
    expect((await control("POST", "/layers/L1/misbehave", { mode: "lie" })).body.error).toMatch(/mode: L1 misbehaves only as "fail-closed"/);
    expect((await control("POST", "/layers/L9/misbehave", { mode: "x" })).status).toBe(404);
    const on = await control("POST", "/layers/L1/misbehave", { mode: "fail-closed", ttlSeconds: 60 });
    expect(on.body).toMatchObject({ layer: "L1", misbehaving: "fail-closed", fault: { kind: "layer-misbehave", target: "L1" } });
    expect((await control("GET", "/status")).body.layers[0].misbehaving).toBe("fail-closed");
    expect((await control("DELETE", "/layers/L1/misbehave")).body).toEqual({ layer: "L1", misbehaving: null });
    expect((await control("GET", "/faults")).body.faults).toEqual([]);
  });

  it("fill raises one master's used_memory towards the target with keys in its own slots; DELETE and reset remove them", async () => {
    const [target] = await masters();
    const replica = state.nodes.find((n) => n.createdReplicaOf === target.node)!;
    expect((await control("POST", `/nodes/${target.node}/fill`, { targetPercent: 0 })).body.error).toMatch(/^targetPercent/);
    expect((await control("POST", `/nodes/${replica.name}/fill`, {})).status).toBe(409);
    const used = () => withRedis({ port: target.port, password: state.password }, async (r) => Number(/used_memory:(\d+)/.exec(await r.info("memory"))![1]));
    const fillerKeys = (port: number) => withRedis({ port, password: state.password }, (r) => r.keys("chaos:filler:*"));
    const before = await used();

    const fill = await control("POST", `/nodes/${target.node}/fill`, { targetPercent: 40, ttlSeconds: 120 }, 45_000);
    expect(fill.status, JSON.stringify(fill.body)).toBe(200);
    expect(fill.body).toMatchObject({ node: target.node, reachedTarget: true, fault: { kind: "memory-fill", target: target.node } });
    expect(fill.body.percent).toBeGreaterThanOrEqual(40);
    expect(await used()).toBeGreaterThan(before + 0.2 * fill.body.maxmemory);
    const keys = await fillerKeys(target.port);
    expect(keys.length).toBe(fill.body.keysWritten);
    for (const key of keys.slice(0, 20)) expect(inRanges(hashSlot(key), target.slots)).toBe(true);

    expect((await control("DELETE", "/memory/filler")).body).toEqual({ removed: fill.body.keysWritten });
    expect(await fillerKeys(target.port)).toEqual([]);

    await control("POST", `/nodes/${target.node}/fill`, { targetPercent: 30, ttlSeconds: 120 }, 45_000);
    expect((await fillerKeys(target.port)).length).toBeGreaterThan(0);
    const reset = await control("POST", "/reset", {}, 90_000);
    expect(reset.body).toMatchObject({ healthy: true, undone: [`memory-fill:${target.node}`] });
    for (const n of state.nodes) expect(await fillerKeys(n.port), n.name).toEqual([]);
  });

  it("the failover route promotes a replica; reset gives the shard back its created master", async () => {
    const [shard] = await masters();
    const replica = state.nodes.find((n) => n.createdReplicaOf === shard.node)!;
    const refused = await control("POST", `/nodes/${shard.node}/failover`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain(`its replicas: ${replica.name}`);
    expect((await control("POST", `/nodes/${replica.name}/failover`, { mode: "sideways" })).body.error).toMatch(/^mode/);

    const failover = await control("POST", `/nodes/${replica.name}/failover`, {}, 45_000);
    expect(failover.status, JSON.stringify(failover.body)).toBe(200);
    expect(failover.body).toMatchObject({ node: replica.name, promotedFrom: shard.node });
    console.log(`[cluster-layers] CLUSTER FAILOVER on ${replica.name}: master after ${failover.body.seconds} s`);
    expect((await masters()).map((m) => m.node)).toContain(replica.name);
    const tenant = tenantOn(shard.slots);
    await waitFor(`L1 ok for ${tenant} on the promoted ${replica.name}`, async () => ((await l1(tenant)).rateLimit === "ok" ? true : null), 10_000);

    const reset = await control("POST", "/reset", {}, 90_000);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ healthy: true, rolesRestored: [shard.node], rolesChanged: [] });
    expect(await rolesAsCreated()).toBe(true);
  });

  it("a killed master: L1 fails open for its shard's tenants and stays ok for the others until the promotion, then both ok", async () => {
    // Another shard than the fill's and the failover's: a replica that ran an election (the failover route, reset's
    // restore) starts the next one only 4 × cluster-node-timeout after it, so that shard's promotion would come ~10 s late.
    const [, shard] = await masters();
    const replica = state.nodes.find((n) => n.createdReplicaOf === shard.node)!;
    const onShard = tenantOn(shard.slots);
    const elsewhere = tenantOn(shard.slots, false);
    expect([await l1(onShard), await l1(elsewhere)]).toEqual([
      { status: 200, rateLimit: "ok" },
      { status: 200, rateLimit: "ok" },
    ]);

    const killedAt = Date.now();
    expect((await control("POST", `/nodes/${shard.node}/kill`, { ttlSeconds: 120 })).status).toBe(200);
    const isMaster = () =>
      withRedis({ port: replica.port, password: state.password, timeoutMs: 500 }, async (r) => /^master/.test(String(await r.call("ROLE")))).catch(() => false);
    const samples: { at: number; on: string; off: string; promoted: boolean }[] = [];
    const sample = async () => {
      const [on, off] = await Promise.all([l1(onShard), l1(elsewhere)]);
      const s = { at: Date.now() - killedAt, on: `${on.status} ${on.rateLimit}`, off: `${off.status} ${off.rateLimit}`, promoted: await isMaster() };
      samples.push(s);
      return s;
    };

    const split = await waitFor(
      "L1 degraded for the killed shard's tenant and ok for the other, before the promotion",
      async () => {
        const s = await sample();
        return !s.promoted && s.on === "200 degraded" && s.off === "200 ok" ? s : null;
      },
      4000,
    );
    expect(split.promoted).toBe(false);
    await waitFor(
      "the replica promoted and L1 ok for both tenants",
      async () => {
        const s = await sample();
        return s.promoted && s.on === "200 ok" && s.off === "200 ok" ? s : null;
      },
      30_000,
    ).catch(async (err) => {
      const errors = { on: await l1Error(onShard), off: await l1Error(elsewhere), onSlot: hashSlot(onShard), offSlot: hashSlot(elsewhere) };
      throw new Error(
        `${(err as Error).message}; last samples ${JSON.stringify(samples.slice(-3))}; L1's errors ${JSON.stringify(errors)}; masters ${JSON.stringify(await masters())}`,
      );
    });
    const promotedAt = samples.find((s) => s.promoted)!.at;
    const bothDegraded = samples.filter((s) => s.off !== "200 ok").map((s) => s.at);
    console.log(
      `[cluster-layers] kill -9 ${shard.node}: ${replica.name} master after ~${(promotedAt / 1000).toFixed(1)} s; ` +
        `L1 other-shard tenant degraded in ${bothDegraded.length} of ${samples.length} samples` +
        (bothDegraded.length
          ? ` (${(bothDegraded[0] / 1000).toFixed(1)}-${(bothDegraded.at(-1)! / 1000).toFixed(1)} s: cluster_state fail until the promotion)`
          : ""),
    );
    // Every answer was a 200: L1 fails open, never closed.
    expect(samples.every((s) => s.on.startsWith("200") && s.off.startsWith("200"))).toBe(true);

    const reset = await control("POST", "/reset", {}, 90_000);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ healthy: true, started: [shard.node], rolesRestored: [shard.node], rolesChanged: [] });
    expect(await rolesAsCreated()).toBe(true);
    for (const id of ["L1", "L2", "L3", "CP"]) expect((await layer(id, "GET", "/health")).body, id).toEqual({ status: "ok" });
  });
});
