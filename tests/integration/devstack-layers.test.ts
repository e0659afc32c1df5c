/**
 * The four layer stand-ins against a real Sentinel sandbox: what each does with Redis up,
 * with Redis gone (proxy cut; master and replica frozen) as the failure contract says, and
 * that each recovers once the fault is undone.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { allLayersOk, controlApi, layerApi, layerHealth, masterPort, onMaster } from "./helpers/devstack-api";
import { PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const settings = testSettings(PORTS.layers);
// The sandbox keeps its AOF between runs, so names are unique per run.
const run = Date.now().toString(36);
let state: StackState;
let control: ReturnType<typeof controlApi>;
let layer: ReturnType<typeof layerApi>;

beforeAll(async () => {
  state = await startStack(settings);
  control = controlApi(state);
  layer = layerApi(state);
  await waitFor("all layers ok", () => allLayersOk(state), 10_000);
});
afterAll(() => stopStack(settings));

function aofContains(node: string, text: string): boolean {
  const dir = path.join(settings.dir, node, "appendonlydir");
  return fs.readdirSync(dir).some((f) => fs.readFileSync(path.join(dir, f), "utf8").includes(text));
}

/** What each layer does right now, in the terms of the failure contract. */
async function contractView() {
  const [l1, l2, l3, cp, health] = await Promise.all([
    layer("L1", "GET", "/orders/1", undefined, { "x-tenant-id": "t-contract" }),
    layer("L2", "POST", "/v1/completions", { tenant: "t-contract", prompt: `outage probe ${Math.random()}` }),
    layer("L3", "POST", "/sessions", { tenant: "t-contract" }),
    layer("CP", "GET", "/tenants/t-contract"),
    layerHealth(state),
  ]);
  return { l1, l2, l3, cp, health };
}

function expectOutageContract(v: Awaited<ReturnType<typeof contractView>>) {
  expect(v.l1.status).toBe(200);
  expect(v.l1.headers.get("x-ratelimit-status")).toBe("degraded");
  expect(v.l2.status).toBe(200);
  expect(v.l2.headers.get("x-cache")).toBe("bypass");
  expect(v.l2.body).toMatchObject({ cached: false, budget: "skipped" });
  expect(v.l3.status).toBe(503);
  expect(v.l3.body.error).toMatch(/unavailable/);
  expect(v.cp.status).toBeGreaterThanOrEqual(500);
  expect(v.health).toEqual({
    L1: { status: 200, body: "degraded" },
    L2: { status: 200, body: "degraded" },
    L3: { status: 503, body: "unavailable" },
    CP: { status: 200, body: "degraded" },
  });
}

describe("layers with Redis up", () => {
  it("L1 rate-limits per tenant with a sliding window and creates tenant config on first sight", async () => {
    const first = await layer("L1", "GET", "/anything", undefined, { "x-tenant-id": `t-new-${run}` });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-status")).toBe("ok");
    expect(Number(first.headers.get("x-ratelimit-remaining"))).toBe(999);
    await waitFor("tenant config written", () => onMaster(state, (r) => r.hget(`l1:tenant:t-new-${run}`, "limit")));
    expect(await onMaster(state, (r) => r.zcard(`l1:rl:t-new-${run}`))).toBe(1);

    await onMaster(state, (r) => r.hset(`l1:tenant:t-low-${run}`, { limit: 3 }));
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await layer("L1", "GET", "/x", undefined, { "x-tenant-id": `t-low-${run}` }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[2].headers.get("x-ratelimit-remaining")).toBe("0");
    expect(answers[3].headers.get("x-ratelimit-remaining")).toBe("0");
    // Without a tenant header the default tenant is used.
    await layer("L1", "GET", "/x");
    expect(await onMaster(state, (r) => r.exists("l1:rl:t-default"))).toBe(1);
  });

  it("L2 caches responses (exact and semantic), charges token budgets and refuses over budget", async () => {
    const prompt = `What does Sentinel do? ${Date.now()}`;
    const miss = await layer("L2", "POST", "/v1/completions", { tenant: `t-ai-${run}`, prompt });
    expect(miss.status).toBe(200);
    expect(miss.headers.get("x-cache")).toBe("miss");
    expect(miss.body).toMatchObject({ cached: false, budget: "enforced" });
    const hit = await waitFor("cache hit", async () => {
      const a = await layer("L2", "POST", "/v1/completions", { tenant: `t-ai-${run}`, prompt });
      return a.headers.get("x-cache") === "hit" && a;
    });
    expect(hit.body).toMatchObject({ cached: true, cacheVia: "exact", text: miss.body.text });
    const semantic = await layer("L2", "POST", "/v1/completions", { tenant: `t-ai-${run}`, prompt: `  ${prompt.toUpperCase()}!! ` });
    expect(semantic.body).toMatchObject({ cached: true, cacheVia: "semantic" });
    expect(Number(await onMaster(state, (r) => r.get(`l2:budget:t-ai-${run}`)))).toBeGreaterThan(64);
    expect(await onMaster(state, (r) => r.keys("l2:cache:*"))).not.toHaveLength(0);
    expect(await onMaster(state, (r) => r.keys("l2:semantic:*"))).not.toHaveLength(0);

    const big = (n: number) => layer("L2", "POST", "/v1/completions", { tenant: `t-spender-${run}`, prompt: `spend ${n} ${run}`, maxTokens: 100_000 });
    expect((await big(1)).status).toBe(200);
    const refused = await big(2);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatch(/budget/);
    expect((await layer("L2", "POST", "/v1/completions", { prompt: "" })).status).toBe(400);
  });

  it("L3 creates, reads and deletes ~1 KB sessions with a TTL, and keeps HITL and A2A state", async () => {
    const created = await layer("L3", "POST", "/sessions", { tenant: `t-agent-${run}`, agent: "planner" });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const [raw, ttl] = await onMaster(state, async (r) => [await r.get(`l3:session:${id}`), await r.pttl(`l3:session:${id}`)] as const);
    expect(raw!.length).toBeGreaterThanOrEqual(1000);
    expect(raw!.length).toBeLessThan(1200);
    expect(ttl).toBeGreaterThan(60_000);
    const read = await layer("L3", "GET", `/sessions/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, tenant: `t-agent-${run}`, agent: "planner", a2a: { state: "idle" } });
    expect(read.body.policy).toHaveProperty("maxSteps");
    expect((await layer("L3", "POST", `/sessions/${id}/approvals`, { action: "refund 20 EUR" })).status).toBe(202);
    expect((await layer("L3", "GET", `/hitl/t-agent-${run}`)).body.items[0]).toMatchObject({ session: id, action: "refund 20 EUR" });
    expect((await layer("L3", "POST", `/sessions/${id}/handoff`, { peer: "billing-agent" })).status).toBe(200);
    expect((await layer("L3", "GET", `/sessions/${id}`)).body.a2a).toMatchObject({ state: "delegated", peer: "billing-agent" });
    expect((await layer("L3", "DELETE", `/sessions/${id}`)).status).toBe(204);
    expect((await layer("L3", "GET", `/sessions/${id}`)).status).toBe(404);
    expect((await layer("L3", "DELETE", `/sessions/${id}`)).status).toBe(404);
  });

  it("CP serves tenant metadata (created on demand), notifications, settings and webhooks", async () => {
    const tenant = await layer("CP", "GET", `/tenants/t-portal-${run}`);
    expect(tenant.status).toBe(200);
    expect(tenant.body).toMatchObject({ id: `t-portal-${run}`, plan: "enterprise" });
    expect(await onMaster(state, (r) => r.hget(`cp:tenant:t-portal-${run}`, "plan"))).toBe("enterprise");
    expect((await layer("CP", "POST", `/tenants/t-portal-${run}/notifications`, { message: "maintenance at 10:00" })).status).toBe(201);
    expect((await layer("CP", "GET", `/tenants/t-portal-${run}/notifications`)).body.items[0].message).toBe("maintenance at 10:00");
    expect((await layer("CP", "PUT", `/tenants/t-portal-${run}/settings`, { settings: { region: "eu-west" } })).body.settings).toEqual({ region: "eu-west" });
    const hook = await layer("CP", "POST", `/tenants/t-portal-${run}/webhooks`, { url: "https://example.test/hook" });
    expect(hook.status).toBe(201);
    expect((await layer("CP", "GET", `/tenants/t-portal-${run}/webhooks`)).body.webhooks).toEqual([{ id: hook.body.id, url: "https://example.test/hook" }]);
    expect((await layer("CP", "POST", `/tenants/t-portal-${run}/webhooks`, { url: "not a url" })).status).toBe(400);
  });
});

describe("layers with Redis gone", () => {
  it("proxy cut: every layer answers as the contract says, and recovers when the cut is undone", async () => {
    expect((await control("POST", "/proxy/cut", { ttlSeconds: 60 })).status).toBe(200);
    expectOutageContract(await contractView());
    expect((await control("DELETE", "/proxy/faults")).status).toBe(200);
    const undoneAt = Date.now();
    await waitFor("layers ok after the cut", () => allLayersOk(state), 10_000);
    console.log(`layers ok ${Date.now() - undoneAt} ms after the proxy cut was undone`);
    const v = await contractView();
    expect(v.l1.headers.get("x-ratelimit-status")).toBe("ok");
    expect(v.l2.body.budget).toBe("enforced");
    expect(v.l3.status).toBe(201);
    expect(v.cp.status).toBe(200);
  });

  it("master and replica frozen: same contract, then recovery after thaw", async () => {
    for (const n of ["redis-a", "redis-b"]) expect((await control("POST", `/nodes/${n}/freeze`, { ttlSeconds: 60 })).status).toBe(200);
    try {
      expectOutageContract(await contractView());
    } finally {
      for (const n of ["redis-a", "redis-b"]) expect((await control("POST", `/nodes/${n}/thaw`)).status).toBe(200);
    }
    const thawedAt = Date.now();
    await waitFor("layers ok after thaw", () => allLayersOk(state), 15_000);
    console.log(`layers ok ${Date.now() - thawedAt} ms after master and replica were thawed`);
    expect((await layer("L3", "POST", "/sessions", {})).status).toBe(201);
  });

  it("a restarted master (AOF replayed) is used again within seconds", async () => {
    const port = await masterPort(state);
    const master = state.nodes.find((n) => n.port === port)!;
    const kept = await layer("L3", "POST", "/sessions", { tenant: "t-durable" });
    expect(kept.status).toBe(201);
    // A SIGKILL loses what Redis has not yet written to the AOF: wait until the session is in it.
    await waitFor("session in the master's AOF", () => aofContains(master.name, kept.body.id), 5000);
    const restart = await control("POST", `/nodes/${master.name}/restart`);
    expect(restart.status).toBe(200);
    const restartedAt = Date.now();
    await waitFor("L3 creates sessions again", async () => (await layer("L3", "POST", "/sessions", {})).status === 201, 15_000, 50);
    console.log(`L3 served again ${Date.now() - restartedAt} ms after a master restart`);
    expect((await layer("L3", "GET", `/sessions/${kept.body.id}`)).status).toBe(200);
  });
});
