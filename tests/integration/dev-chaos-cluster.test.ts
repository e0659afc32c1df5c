/**
 * Chaos on a Redis Cluster dev stack the console did not start (issue 28): a cluster sandbox
 * watched as an EXTERNAL cluster deployment with a chaos block and its own chaos ACL user. Refused
 * naming each shard while a marker is missing (the refusal's own redis-cli commands then fix it);
 * an outage (CLIENT PAUSE on one shard's master) and a failover (CLUSTER FAILOVER on a replica)
 * run through the dev-stack engine and end only after their restore, with roles, config and the
 * run's keys as before, no pause left and the lock released; connection-exhaustion is a 400.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDown } from "../../devstack/cluster/cluster-lifecycle";
import { withRedis } from "../../devstack/redis-client";
import { parseClusterNodes } from "../../lib/contract/cluster-info";
import { readClusterState, type ClusterState } from "../../lib/contract/cluster-state";
import { chaosAclLine } from "../../lib/chaos/targets/acl";
import type { ChaosRun } from "../../lib/chaos/types";
import { launchBrowser, closeBrowser } from "./helpers/browser";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { clusterNotRestored } from "./helpers/cluster-restored";
import { startConsole, type RunningConsole } from "./helpers/console";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";
import { openStore } from "../../lib/store/store";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "../..");
const basePort = PORTS.devChaosCluster;
const dirName = `.devstack-test-cluster-${basePort}`;
const dir = path.join(repoRoot, dirName);
const TOKEN = "dev-chaos-cluster-operator-token-0123456789";
const CHAOS_PW = "dev-chaos-cluster-chaos-pw-5f1c02";
const NAME = "devcluster";

let state: ClusterState;
let app: RunningConsole;
let configDir: string;
const consoleEnv = () => ({ OPERATOR_TOKEN: TOKEN, CONSOLE_CONFIG: path.join(configDir, "config.json"), RRC_WATCH_PW: state.password, RRC_CHAOS_PW: CHAOS_PW });

const admin = <T>(port: number, fn: Parameters<typeof withRedis<T>>[1]) => withRedis({ port, password: state.password, timeoutMs: 2000 }, fn);

/** What a run must leave as it found: every node's role and memory config, and the rrc:* keys on every master. */
async function clusterState() {
  const out: Record<string, unknown> = {};
  for (const n of state.nodes)
    out[n.name] = await admin(n.port, async (r) => {
      const me = parseClusterNodes(String(await r.call("CLUSTER", "NODES"))).find((e) => e.myself)!;
      const cfg = async (name: string) => ((await r.call("CONFIG", "GET", name)) as string[])[1];
      const keys: Record<string, string | null> = {};
      if (me.role === "master") {
        let cursor = "0";
        do {
          const [next, found] = await r.scan(cursor, "MATCH", "rrc:*", "COUNT", 1000);
          cursor = next;
          for (const k of found) keys[k] = await r.get(k);
        } while (cursor !== "0");
      }
      return { role: me.role, maxmemory: await cfg("maxmemory"), policy: await cfg("maxmemory-policy"), keys };
    });
  return out;
}

/** A PING on a connection opened now answers: the node is not paused (a paused one answers nothing). */
const answers = (port: number) =>
  admin(port, (r) => r.ping()).then(
    () => true,
    () => false,
  );

/** The lock's PTTL on the node a failover run promotes, read while the run is running (a node that is not master answers MOVED: no reading). */
async function watchLockOnPromoted(runId: string): Promise<number[]> {
  const ttls: number[] = [];
  for (;;) {
    const run = (await app.get<ChaosRun>(`/api/chaos/runs/${runId}`)).body;
    if (run.state !== "running") return ttls;
    const port = /sent to [^,]+:(\d+),/.exec(run.steps.find((s) => s.name === "CLUSTER FAILOVER")?.detail ?? "")?.[1];
    if (port) {
      const ttl = await admin(Number(port), async (r) => {
        const [key] = await r.keys("rrc:chaos-lock:*");
        return key ? r.pttl(key) : null;
      }).catch(() => null);
      if (ttl !== null && ttl > 0) ttls.push(ttl);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Runs the refusal's fix, command by command, as a person would (the admin password from REDISCLI_AUTH). */
async function runFix(fix: string): Promise<number> {
  const commands = fix.split(" ; ");
  for (const c of commands) {
    const argv = c.split(" ");
    expect(argv.slice(0, 2)).toEqual(["redis-cli", "-c"]);
    await run(argv[0], argv.slice(1), { env: { ...process.env, REDISCLI_AUTH: state.password }, timeout: 10_000 });
  }
  return commands.length;
}

beforeAll(async () => {
  await clusterDown(dir);
  await run("npx", ["tsx", "devstack/cli.ts", "up", "--cluster", "--base-port", String(basePort), "--dir", dirName], { cwd: repoRoot, timeout: 120_000 });
  state = readClusterState(dir)!;
  // The chaos user, on every node (ACLs are per node): exactly the documented line.
  const [, user, ...rules] = chaosAclLine("rrc-chaos", CHAOS_PW, { cluster: true }).split(" ");
  for (const n of state.nodes) await admin(n.port, (r) => r.call("ACL", "SETUSER", user, ...rules));
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-dev-chaos-cluster-"));
  fs.writeFileSync(
    path.join(configDir, "config.json"),
    JSON.stringify({
      deployment: NAME,
      source: "external",
      redis: {
        cluster: { seeds: [{ host: "127.0.0.1", port: state.nodes[1].port }] },
        password: { from: "env", name: "RRC_WATCH_PW" },
      },
      // The sandbox's own layers, probed as the sandbox's are: their checks are judged, not left unexercised.
      layers: state.layers.map((l) => ({ id: l.id, url: l.url })),
      chaos: { allow: true, username: "rrc-chaos", password: { from: "env", name: "RRC_CHAOS_PW" } },
    }),
  );
  app = await startConsole({ port: CONSOLE_PORTS.devChaosCluster, devstackDir: path.join(configDir, "none"), env: consoleEnv() });
}, 180_000);

afterAll(async () => {
  await app?.stop().catch(() => {});
  await clusterDown(dir);
  if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
});

/** Final, and only after its restore: the run went through restoring, and its restore step is done. */
function endedAfterRestore(r: ChaosRun): void {
  expect(r.postflight, `${r.scenario}: ${r.error ?? ""}`).toEqual({ healthy: true, problems: [] });
  expect(r.restoringAt).toBeTruthy();
  expect(Date.parse(r.endedAt!)).toBeGreaterThanOrEqual(Date.parse(r.restoringAt!));
  expect(r.steps.find((s) => s.name === "restore and post-flight")?.state).toBe("done");
}

describe("chaos on a Redis Cluster dev stack", () => {
  it("says per scenario what this target can run, and refuses connection-exhaustion naming the capability it lacks", async () => {
    const { body } = await app.get<{ target: string; availability: { scenario: string; available: boolean; reason: string | null }[] }>("/api/chaos/scenarios");
    expect(body.target).toBe("external");
    const of = (s: string) => body.availability.find((a) => a.scenario === s);
    for (const s of ["outage", "failover", "memory-pressure"]) expect(of(s), s).toMatchObject({ available: true });
    expect(of("connection-exhaustion")).toMatchObject({
      available: false,
      reason: expect.stringContaining("exhaust-connections (holding a master's connections) is not offered on a Redis Cluster dev stack yet"),
    });
    expect(of("latency")?.reason).toContain("MOVED");
    const refused = await startRun(app, TOKEN, "connection-exhaustion", {});
    expect(refused.status).toBe(400);
    expect(String(refused.body.error)).toContain("it lacks exhaust-connections");
  });

  it("the Chaos page shows the cluster's scenarios with a shard to choose, and why the others cannot run", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1400 } });
      await page.goto(`${app.url}/chaos`, { timeout: 30_000 });
      await page.getByTestId("unavailable-connection-exhaustion").filter({ hasText: "exhaust-connections" }).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("unavailable-latency").textContent()).toContain("MOVED");
      expect((await page.getByLabel("outage shard").locator("option").allTextContents()).slice(0, 3)).toEqual(["shard-1", "shard-2", "shard-3"]);
      expect(await page.getByLabel("failover shard").count()).toBe(1);
    } finally {
      await closeBrowser(browser);
    }
  });

  it("refuses while a shard lacks its marker, naming each, and the refusal's own commands fix it", async () => {
    const none = await startRun(app, TOKEN, "outage", { shard: "shard-2", durationSeconds: 3 });
    expect(none.status).toBe(403);
    const error = String(none.body.error);
    expect(error).toContain("3 of 3 do not");
    for (const s of ["shard-1", "shard-2", "shard-3"]) expect(error).toContain(`${s} (master 127.0.0.1:`);
    const fix = /Fix: (.*)$/.exec(error)![1];
    // Fix two shards only: the third is still named, and only it.
    const [first, second, third] = fix.split(" ; ");
    await runFix(`${first} ; ${second}`);
    const one = await startRun(app, TOKEN, "outage", { shard: "shard-2", durationSeconds: 3 });
    expect(one.status).toBe(403);
    expect(String(one.body.error)).toContain("1 of 3 do not: shard-3");
    expect(String(one.body.error)).toContain(third);
    await runFix(third);
  });

  it("an outage pauses one shard's master, ends only after its restore, and leaves roles, config and keys as before", async () => {
    const plan = await app.get<{ plan: { address: string; command: string }[] }>(
      `/api/chaos/plan?scenario=outage&params=${encodeURIComponent('{"shard":"shard-2","durationSeconds":3}')}`,
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(plan.status).toBe(200);
    const pauses = plan.body.plan.filter((c) => c.command.startsWith("CLIENT PAUSE"));
    expect(pauses).toHaveLength(1);
    expect(JSON.stringify(plan.body)).not.toContain(CHAOS_PW);
    const before = await clusterState();
    const started = await startRun(app, TOKEN, "outage", { shard: "shard-2", durationSeconds: 3 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const r = await finishedRun(app, started.id, 90_000);
    endedAfterRestore(r);
    const paused = pauses[0].address;
    expect(r.checks.find((c) => c.shard === "shard-2")).toMatchObject({ verdict: "held", expect: expect.stringContaining(paused) });
    expect(r.checks.find((c) => c.shard === "other shards")).toMatchObject({ verdict: "held" });
    // One shard paused is a partial fault for the layers: each judged by the shared rule over the hold's snapshots.
    const layers = r.checks.filter((c) => c.layer);
    expect(layers.map((c) => c.layer).sort()).toEqual(["CP", "L1", "L2", "L3"]);
    for (const c of layers) {
      expect(["held", "refuted"], `${c.layer}: ${c.reason ?? c.observed}`).toContain(c.verdict);
      expect(c.observed).toMatch(/^\d+\/\d+ samples by contract$/);
    }
    expect(r.state).toBe(r.checks.every((c) => c.verdict === "held") ? "passed" : "failed");
    expect(await answers(Number(paused.split(":")[1]))).toBe(true);
    expect(await clusterState()).toEqual(before);
  });

  it("an abort mid-hold ends the outage's run aborted, after its restore, the cluster as before; a shard it does not have is a 400", async () => {
    const plan = await app.get<{ error: string }>(`/api/chaos/plan?scenario=outage&params=${encodeURIComponent('{"shard":"shard-9"}')}`, {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(plan.status).toBe(400);
    expect(plan.body.error).toContain("no shard-9 in this cluster: it has shard-1, shard-2, shard-3");
    const missing = await startRun(app, TOKEN, "outage", { shard: "shard-9", durationSeconds: 3 });
    expect(missing.status).toBe(400);
    expect(String(missing.body.error)).toContain("this cluster has no shard-9");
    const before = await clusterState();
    const started = await startRun(app, TOKEN, "outage", { shard: "shard-3", durationSeconds: 10 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await waitFor(
      "the hold",
      async () => (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body.steps.some((s) => s.name === "hold the outage"),
      30_000,
    );
    const abort = await fetch(`${app.url}/api/chaos/runs/${started.id}/abort`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(abort.status).toBe(202);
    const r = await finishedRun(app, started.id, 60_000);
    expect(r.state).toBe("aborted");
    endedAfterRestore(r);
    expect(r.steps.find((s) => s.name === "hold the outage")?.state).not.toBe("running");
    expect(await clusterState()).toEqual(before);
  });

  it("a failover hands shard-1 to its replica and back: the roles end as before", async () => {
    const before = await clusterState();
    const started = await startRun(app, TOKEN, "failover", { shard: "shard-1" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const lockTtls = watchLockOnPromoted(started.id);
    const r = await finishedRun(app, started.id, 120_000);
    endedAfterRestore(r);
    expect(r.checks.find((c) => c.shard === "shard-1")).toMatchObject({ verdict: "held" });
    // The run's lock lives on shard-1: its keeper follows the slots (MOVED) to the promoted replica
    // and refreshes it there. Not followed, the lock's TTL there would only fall.
    const ttls = await lockTtls;
    expect(
      ttls.some((t, i) => i > 0 && t > ttls[i - 1]),
      `the lock's PTTL on the promoted replica, read every 100 ms while the run ran: ${ttls.join(", ")}`,
    ).toBe(true);
    expect(typeof r.metrics.failover_s).toBe("number");
    expect(r.steps.find((s) => s.name === "restore and post-flight")?.detail).toMatch(/CLUSTER FAILOVER on 127\.0\.0\.1:\d+: master again/);
    expect(await clusterNotRestored(state)).toEqual([]);
    expect(await clusterState()).toEqual(before);
  });

  it("memory pressure fills one shard's slots, evicts nowhere else, and restores maxmemory, policy and keys", async () => {
    const before = await clusterState();
    const started = await startRun(app, TOKEN, "memory-pressure", { shard: "shard-3", durationSeconds: 3 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const r = await finishedRun(app, started.id, 90_000);
    endedAfterRestore(r);
    expect(r.checks.find((c) => c.shard === "shard-3")).toMatchObject({ verdict: "held" });
    expect(r.checks.find((c) => c.shard === "other shards")).toMatchObject({ verdict: "held" });
    expect(await clusterState()).toEqual(before);
  });

  /** kill -9 of the console once the run reached `step`, then a console on the same data dir: it undoes the journal first. */
  async function killAndRestart(runId: string, step: string): Promise<void> {
    await waitFor("the fault in place", async () => (await app.get<ChaosRun>(`/api/chaos/runs/${runId}`)).body.steps.some((s) => s.name === step), 30_000);
    process.kill(app.pid, "SIGKILL");
    const data = app.dataDir;
    await waitFor(
      "the console gone",
      async () =>
        !(await app.get("/api/health").then(
          () => true,
          () => false,
        )),
      10_000,
    );
    expect(fs.existsSync(path.join(data, "chaos-journal.json"))).toBe(true);
    app = await startConsole({
      port: CONSOLE_PORTS.devChaosCluster,
      devstackDir: path.join(configDir, "none"),
      env: consoleEnv(),
      dataDir: data,
    });
  }

  it("a second console is refused by the lock; kill -9 during memory pressure, and the next console restores the shard from the journal", async () => {
    const before = await clusterState();
    const started = await startRun(app, TOKEN, "memory-pressure", { shard: "shard-2", durationSeconds: 60 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await waitFor(
      "the fill done",
      async () => (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body.steps.some((s) => s.name === "hold under pressure"),
      30_000,
    );
    expect(await clusterState()).not.toEqual(before);
    const second = await startConsole({ port: CONSOLE_PORTS.devChaosClusterSecond, devstackDir: path.join(configDir, "none"), env: consoleEnv() });
    try {
      const refused = await startRun(second, TOKEN, "outage", { shard: "shard-1", durationSeconds: 3 });
      expect(refused.status).toBe(403);
      expect(String(refused.body.error)).toContain(`another chaos run (${started.id}) holds rrc:chaos-lock:{`);
    } finally {
      await second.stop();
    }
    await killAndRestart(started.id, "hold under pressure");
    await waitFor("the cluster back to its originals", async () => JSON.stringify(await clusterState()) === JSON.stringify(before), 30_000, 200);
    await waitFor(
      "the timeline to say the journal was undone",
      async () => (await app.get<{ events: { title: string }[] }>("/api/timeline")).body.events.some((e) => e.title.includes("undone from the journal")),
      15_000,
      200,
    );
  });

  it("kill -9 while shard-1 is failed over: the next console fails it back from the journal", async () => {
    const before = await clusterState();
    const started = await startRun(app, TOKEN, "failover", { shard: "shard-1" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await killAndRestart(started.id, "watch the layers");
    await waitFor(
      "the roles as created again",
      async () => (await clusterNotRestored(state)).length === 0 && JSON.stringify(await clusterState()) === JSON.stringify(before),
      45_000,
      200,
    );
    // The next run starts: the journal is finished.
    await waitFor(
      "the journal finished",
      async () => ((await app.get<{ recovery: { journal: string | null } }>("/api/chaos/scenarios")).body.recovery.journal === null ? true : null),
      15_000,
    );
  });
});

describe("chaos on a Redis Cluster dev stack, two replicas on one PostgreSQL", () => {
  let pg: TestPostgres;
  let a: RunningConsole;
  let b: RunningConsole;
  const pgEnv = () => ({ ...consoleEnv(), DATABASE_URL: pg.url });
  const runOn = (x: RunningConsole, id: string) => x.get<ChaosRun>(`/api/chaos/runs/${id}`);
  const storedJournal = async () => {
    const store = await openStore({ dataDir: null, databaseUrl: pg.url });
    try {
      return await store.journals.get(NAME);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    pg = startPostgres(PORTS.devChaosCluster + 45, "dev-chaos-cluster");
    const none = path.join(configDir, "none");
    a = await startConsole({ port: CONSOLE_PORTS.devChaosClusterPgA, devstackDir: none, env: pgEnv() });
    b = await startConsole({ port: CONSOLE_PORTS.devChaosClusterPgB, devstackDir: none, env: pgEnv() });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop().catch(() => {}), b?.stop().catch(() => {})]);
    pg?.destroy();
  });

  it("kill -9 of the replica filling a shard: the other undoes the journal from the store, the run reads aborted", async () => {
    const before = await clusterState();
    const started = await startRun(a, TOKEN, "memory-pressure", { shard: "shard-2", durationSeconds: 60 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await waitFor("the fill done", async () => (await runOn(a, started.id)).body.steps.some((s) => s.name === "hold under pressure"), 30_000, 200);
    expect(await clusterState()).not.toEqual(before);
    // The journal is the store's, committed before the faults, owned by A; B lists the run and refuses a second.
    const stored = await storedJournal();
    expect(stored?.journal.runId).toBe(started.id);
    expect(stored?.owner).toBe((await a.get<{ replica: string }>("/api/ready")).body.replica);
    expect(stored?.journal.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(["lock", "filler", "config"]));
    await waitFor(
      "B to list A's run",
      async () => (await b.get<{ runs: ChaosRun[] }>("/api/chaos/runs")).body.runs.some((r) => r.id === started.id),
      10_000,
      200,
    );
    const refused = await startRun(b, TOKEN, "outage", { shard: "shard-1", durationSeconds: 3 });
    expect(refused.status).toBe(409);
    expect(String(refused.body.error)).toContain(started.id);

    process.kill(a.pid, "SIGKILL");
    const killedAt = Date.now();
    await waitFor("the cluster back to its originals", async () => JSON.stringify(await clusterState()) === JSON.stringify(before), 45_000, 200);
    console.log(
      `[measured] kill -9 of the replica filling a Redis Cluster dev stack's shard: undone by the other ${((Date.now() - killedAt) / 1000).toFixed(1)} s after`,
    );
    const aborted = await waitFor(
      "B to read the run aborted",
      async () => {
        const r = (await runOn(b, started.id)).body;
        return r.state === "aborted" ? r : null;
      },
      15_000,
      200,
    );
    expect(aborted.error).toBe("the replica running it stopped");
    await waitFor("the journal gone from the store", async () => (await storedJournal()) === null, 15_000, 250);
    expect(await clusterNotRestored(state)).toEqual([]);
  });
});
