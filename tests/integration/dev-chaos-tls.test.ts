/**
 * Chaos through the real console on a Redis Sentinel deployment it did not start, TLS only with
 * ACL users (issue 18, the TLS + ACL half; dev-chaos-console.test.ts is the plain one): the
 * target (helpers/tls-target.ts) has the default user off, the watching user, the chaos user from
 * lib/chaos/targets/acl.ts and sentinels that require a password over TLS. A run is refused
 * without the marker and while another run holds the lock, each naming why; with the marker an
 * outage (pause), memory pressure and a failover through the authenticated TLS sentinels run and
 * restore, the target's config and keys read over TLS by an admin connection before and after.
 * No password of the test reaches an API answer or the console's log.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAYER_IDS } from "../../lib/contract/failure-contract";
import type { ChaosRun } from "../../lib/chaos/types";
import type { Snapshot } from "../../lib/snapshot/types";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";
import { CHAOS_USER, MASTER_NAME, SECRETS, startTlsTarget, type TlsTarget } from "./helpers/tls-target";

const TOKEN = "integration-operator-token-devchaos-tls-4f2a9c81";
const DEPLOYMENT = "devchaos-tls";
const H = "127.0.0.1";
const MARKER = "rrc:chaos-allowed";
const LOCK = "rrc:chaos-lock";

let t: TlsTarget;
let dir: string;
let app: RunningConsole;
/** Every API answer of this file, for the secret scan at the end. */
const answers: string[] = [];

async function api<T>(route: string): Promise<T> {
  const { status, body } = await app.get<T>(route, { authorization: `Bearer ${TOKEN}` });
  answers.push(JSON.stringify(body));
  if (status !== 200) throw new Error(`${route} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

async function run(scenario: string, params: Record<string, unknown>) {
  const started = await startRun(app, TOKEN, scenario, params);
  answers.push(JSON.stringify(started.body));
  return started;
}

async function ended(id: string, timeoutMs: number): Promise<ChaosRun> {
  const r = await finishedRun(app, id, timeoutMs);
  answers.push(JSON.stringify(r));
  return r;
}

/** The run as it is now, waiting until `step` is among its steps. */
const reachedStep = (id: string, step: string) =>
  waitFor(
    `run ${id} at step "${step}"`,
    async () => {
      const r = await api<ChaosRun>(`/api/chaos/runs/${id}`);
      return r.steps.some((s) => s.name === step) ? r : null;
    },
    30_000,
    200,
  );

/** The master as the authenticated TLS sentinels name it. */
async function masterPort(): Promise<number> {
  const [, port] = (await t.sentinel(t.sentinels[0], "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)) as [string, string];
  return Number(port);
}

/** A PING on a fresh TLS connection answered within ms: the node is not paused (under CLIENT PAUSE ALL even AUTH waits). */
async function answersWithin(port: number, ms: number): Promise<boolean> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const ok = await Promise.race([
    t.admin(port, "PING").then(
      (r) => r === "PONG",
      () => false,
    ),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
  ]);
  clearTimeout(timer);
  return ok && Date.now() - started < ms;
}

async function fillerKeys(port: number): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = (await t.admin(port, "SCAN", cursor, "MATCH", "rrc:filler:*", "COUNT", "1000")) as [string, string[]];
    cursor = next;
    n += keys.length;
  } while (cursor !== "0");
  return n;
}

/** What a run must leave as it found it on one node, read by the test's admin user over TLS. */
async function nodeState(port: number) {
  const cfg = async (name: string) => ((await t.admin(port, "CONFIG", "GET", name)) as string[])[1];
  return {
    maxmemory: await cfg("maxmemory"),
    policy: await cfg("maxmemory-policy"),
    marker: await t.admin(port, "GET", MARKER),
    lock: await t.admin(port, "GET", LOCK),
    filler: await fillerKeys(port),
    answersPromptly: await answersWithin(port, 1500),
  };
}

async function targetState() {
  return { master: await nodeState(t.master), replica: await nodeState(t.replica!) };
}

/**
 * The master at once; then both nodes, the replica given a moment to apply the master's last
 * deletes (replication is asynchronous). Returns the last state read, for toEqual's diff.
 */
async function stateAfter(before: Awaited<ReturnType<typeof targetState>>) {
  expect(await nodeState(t.master)).toEqual(before.master);
  let last = await targetState();
  await waitFor(
    "the replica to match the master's restore",
    async () => {
      last = await targetState();
      return JSON.stringify(last) === JSON.stringify(before);
    },
    5000,
    200,
  ).catch(() => {});
  return last;
}

beforeAll(async () => {
  // down-after-milliseconds above the outage's whole pause (3 s + 5 s to react): no failover race.
  t = await startTlsTarget({ basePort: PORTS.devChaosTls, chaos: true, downAfterMs: 20_000 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-devchaos-tls-"));
  const tls = { ca: t.certs.ca };
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      deployment: DEPLOYMENT,
      source: "external",
      redis: {
        masterName: MASTER_NAME,
        nodes: [
          { id: "tls-a", host: H, port: t.master },
          { id: "tls-b", host: H, port: t.replica! },
        ],
        sentinels: t.sentinels.map((port, i) => ({ id: `sentinel-${i + 1}`, host: H, port })),
        username: "console",
        password: { from: "file", path: t.consolePasswordFile },
        tls,
        sentinelPassword: { from: "file", path: t.sentinelPasswordFile },
        sentinelTls: tls,
      },
      chaos: { allow: true, username: CHAOS_USER, password: { from: "env", name: "RRC_CHAOS_PW" } },
    }),
  );
  app = await startConsole({
    port: CONSOLE_PORTS.devChaosTls,
    devstackDir: path.join(dir, "no-devstack"),
    env: { OPERATOR_TOKEN: TOKEN, CONSOLE_CONFIG: path.join(dir, "config.json"), RRC_CHAOS_PW: SECRETS.chaos },
  });
  // The watching side over TLS first: both nodes and the 3 authenticated sentinels seen.
  await waitFor(
    "the console watching both TLS nodes and 3 sentinels",
    async () => {
      const s = await api<Snapshot>("/api/snapshot");
      return s.redis.nodes.every((n) => n.up) && s.redis.nodes.length === 2 && s.sentinel.reachable === 3;
    },
    30_000,
    250,
  );
});

afterAll(async () => {
  await app?.stop().catch(() => {});
  await t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("chaos on an external TLS + ACL Sentinel deployment", () => {
  it("the chaos user reads the target over TLS: per scenario, what it can run and why not", async () => {
    const body = await api<{ target: string; availability: { scenario: string; available: boolean; reason: string | null }[] }>("/api/chaos/scenarios");
    expect(body.target).toBe("external");
    const of = (s: string) => body.availability.find((a) => a.scenario === s);
    expect(of("outage")).toMatchObject({ available: true });
    expect(of("memory-pressure")).toMatchObject({ available: true });
    expect(of("failover")).toMatchObject({ available: true });
    // Read with CONFIG GET by the chaos user on the TLS master: a connection failure would be the reason instead.
    expect(of("restart-under-load")?.reason).toContain('enable-debug-command is "no"');
  });

  it("without the marker a run answers 403 naming the missing key and the command that sets it", async () => {
    expect(await t.admin(t.master, "GET", MARKER)).toBeNull();
    const refused = await run("outage", { durationSeconds: 3 });
    expect(refused.status).toBe(403);
    const error = String(refused.body.error);
    // The master answered GET over TLS to the chaos user: the refusal is about the key, not the connection.
    expect(error).toContain(`chaos refused (marker): the master ${H}:${t.master} has no ${MARKER} key`);
    // The fix works as printed on a TLS-only node with the default user off.
    expect(error).toContain(
      `redis-cli -h ${H} -p ${t.master} --tls --cacert <the file in redis.tls.ca> --user <admin user> --askpass SET ${MARKER} ${DEPLOYMENT}`,
    );
    expect(error).not.toContain("did not answer");
    expect(await t.admin(t.master, "GET", LOCK)).toBeNull();
  });

  it("with another holder of the lock a run answers 403 naming the lock and its holder, and leaves it alone", async () => {
    expect(await t.admin(t.master, "SET", MARKER, DEPLOYMENT)).toBe("OK");
    expect(await t.admin(t.master, "SET", LOCK, "other-console-run-7e1", "PX", "60000")).toBe("OK");
    try {
      const refused = await run("outage", { durationSeconds: 3 });
      expect(refused.status).toBe(403);
      const error = String(refused.body.error);
      expect(error).toContain("chaos refused (lock)");
      expect(error).toContain(`another chaos run (other-console-run-7e1) holds ${LOCK} on ${H}:${t.master}`);
      expect(await t.admin(t.master, "GET", LOCK)).toBe("other-console-run-7e1");
    } finally {
      await t.admin(t.master, "DEL", LOCK);
    }
  });

  it("an outage (pause): every TLS node paused, then lifted; layer checks not exercised; the target as before", async () => {
    const plan = await api<{ plan: { address: string; command: string }[] }>(
      `/api/chaos/plan?scenario=outage&params=${encodeURIComponent('{"mode":"pause","durationSeconds":3}')}`,
    );
    expect(plan.plan.filter((c) => c.command.startsWith("CLIENT PAUSE 8000 ALL")).map((c) => c.address)).toEqual([`${H}:${t.master}`, `${H}:${t.replica}`]);

    const before = await targetState();
    expect(before.master).toMatchObject({ marker: DEPLOYMENT, lock: null, filler: 0, answersPromptly: true });
    const started = await run("outage", { mode: "pause", durationSeconds: 3 });
    expect(started.status).toBe(202);
    const during = await reachedStep(started.id, "pause every node");
    await waitFor(
      "the pause sent",
      async () => (await api<ChaosRun>(`/api/chaos/runs/${during.id}`)).steps.find((s) => s.name === "pause every node")?.state === "done",
      10_000,
      100,
    );
    // An 8 s window: a fresh TLS connection gets no answer on either node meanwhile.
    expect(await answersWithin(t.master, 1000)).toBe(false);
    expect(await answersWithin(t.replica!, 1000)).toBe(false);

    const r = await ended(started.id, 60_000);
    expect(r.error).toBeUndefined();
    expect(r.steps.map((s) => [s.name, s.state])).toEqual([
      ["pause every node", "done"],
      ["hold the outage", "done"],
      ["restore and post-flight", "done"],
    ]);
    expect(r.postflight).toEqual({ healthy: true, problems: [] });
    // Only layer checks, and none configured: each says it was not exercised and why, so the run cannot pass by default.
    expect(r.checks.map((c) => c.layer)).toEqual([...LAYER_IDS]);
    for (const c of r.checks) {
      expect(c.claim).toBe("outage-contract");
      expect(c.verdict).toBe("not-exercised");
      expect(c.reason).toContain(`is not configured for deployment "${DEPLOYMENT}"`);
    }
    expect(r.state).toBe("failed");
    expect(r.metrics.master_moved).toBeUndefined();
    expect(await stateAfter(before)).toEqual(before);
  });

  it("memory pressure: maxmemory and policy set over TLS, filler written, then both restored exactly and no filler left", async () => {
    for (let i = 0; i < 100; i++) await t.admin(t.master, "SET", `app:tls:${i}`, "v".repeat(2000));
    const before = await targetState();
    expect(before.master.maxmemory).toBe("0");
    expect(before.master.policy).toBe("noeviction");
    const started = await run("memory-pressure", { durationSeconds: 3, targetPercent: 90, policy: "allkeys-lru" });
    expect(started.status).toBe(202);
    await reachedStep(started.id, "hold under pressure");
    const held = await nodeState(t.master);
    expect(Number(held.maxmemory)).toBeGreaterThan(0);
    expect(held.policy).toBe("allkeys-lru");
    expect(held.filler).toBeGreaterThan(0);
    // What undoes the fault is on disk before the fault, and it holds no secret.
    const journal = fs.readFileSync(path.join(app.dataDir, "chaos-journal.json"), "utf8");
    expect((JSON.parse(journal) as { entries: unknown[] }).entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "config", name: "maxmemory", original: "0" }),
        expect.objectContaining({ kind: "config", name: "maxmemory-policy", original: "noeviction" }),
      ]),
    );
    for (const [name, secret] of Object.entries(SECRETS)) expect(journal.includes(secret), name).toBe(false);

    const r = await ended(started.id, 60_000);
    expect(r.error).toBeUndefined();
    expect(r.steps.every((s) => s.state === "done")).toBe(true);
    expect(r.postflight).toEqual({ healthy: true, problems: [] });
    expect(r.checks.find((c) => c.expect === "memory filled until Redis evicts or refuses writes")?.verdict).toBe("held");
    expect(fs.existsSync(path.join(app.dataDir, "chaos-journal.json"))).toBe(false);
    expect(await stateAfter(before)).toEqual(before);
  });

  it("failover through the authenticated TLS sentinels: the replica promoted, the lock released, the marker on the new master", async () => {
    const oldMaster = await masterPort();
    expect(oldMaster).toBe(t.master);
    const started = await run("failover", {});
    expect(started.status).toBe(202);
    const r = await ended(started.id, 90_000);
    expect(r.error).toBeUndefined();
    expect(r.postflight).toEqual({ healthy: true, problems: [] });
    expect(r.checks.map((c) => [c.claim, c.verdict])).toEqual([["failover-automatic", "held"]]);
    expect(r.state).toBe("passed");
    expect(r.metrics.failover_s as number).toBeGreaterThan(0);
    expect(r.steps.find((s) => s.name === "SENTINEL FAILOVER")?.detail).toMatch(new RegExp(`^accepted by sentinel ${H}:(${t.sentinels.join("|")})$`));
    expect(r.steps.find((s) => s.name === "wait for a new master")?.detail).toContain(`${H}:${t.replica}`);
    expect(r.metrics.master_moved).toContain(`the master was ${H}:${t.master}, now ${H}:${t.replica}`);

    expect(await masterPort()).toBe(t.replica);
    expect(String(await t.admin(t.replica!, "INFO", "replication"))).toContain("role:master");
    expect(await t.admin(t.replica!, "GET", LOCK)).toBeNull();
    expect(await t.admin(t.replica!, "GET", MARKER)).toBe(DEPLOYMENT);
    expect(await fillerKeys(t.replica!)).toBe(0);
    // The old master, demoted by Sentinel, follows the new one and holds no lock either.
    await waitFor(
      "the old master replicating from the new one",
      async () => /role:slave[\s\S]*master_link_status:up/.test(String(await t.admin(t.master, "INFO", "replication"))),
      30_000,
      250,
    );
    expect(await t.admin(t.master, "GET", LOCK)).toBeNull();
  });

  it("no password of the test is in any API answer of these runs or in the console's log", async () => {
    const runs = await api<{ runs: ChaosRun[] }>("/api/chaos/runs");
    expect(runs.runs.map((x) => x.scenario).sort()).toEqual(["failover", "memory-pressure", "outage"]);
    await api("/api/chaos/scenarios");
    await api("/api/timeline");
    await api("/api/snapshot");
    const all = answers.join("\n") + "\n" + app.output();
    expect(answers.length).toBeGreaterThan(10);
    for (const [name, secret] of Object.entries(SECRETS)) expect(all.includes(secret), name).toBe(false);
  });
});
