/**
 * An opted-in external dev stack's chaos across two replicas on one PostgreSQL (issue 26): the
 * fault journal is committed to the store, not to a file in the data dir; while a run goes on one
 * replica the other lists it and refuses a second; when the replica running memory pressure dies
 * (kill -9) the other undoes the journal within 15 s, the run reads aborted and its timeline says
 * why. An old console's journal file is imported into the store and undone there. A replica
 * started with another OPERATOR_TOKEN is said on every replica's /api/ready.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenHash } from "../../lib/auth/session-store";
import type { JournalFile } from "../../lib/chaos/journal";
import type { ChaosRun } from "../../lib/chaos/types";
import { openStore, type Store } from "../../lib/store/store";
import type { TimelineEvent } from "../../lib/timeline/types";
import { startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { PLAIN_MASTER, PLAIN_SECRETS, startPlainTarget, type PlainTarget } from "./helpers/plain-target";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const TOKEN = "dev-chaos-replicas-operator-token-0123456789";
/** The third console's: a replica that disagrees with the others. */
const OTHER_TOKEN = "dev-chaos-replicas-another-operator-token-987654";
type TokenAgreement = { replicas: number; differing: number; problem: string | null } | null;
const DEPLOYMENT = "devreplicas";
const H = "127.0.0.1";

describe("an external dev stack's chaos across two replicas on one PostgreSQL", () => {
  let t: PlainTarget;
  let dir: string;
  let pg: TestPostgres;
  let a: RunningConsole;
  let b: RunningConsole;
  let c: RunningConsole | null = null;
  const env = () => ({
    OPERATOR_TOKEN: TOKEN,
    CONSOLE_CONFIG: path.join(dir, "config.json"),
    RRC_WATCH_PW: PLAIN_SECRETS.console,
    RRC_CHAOS_PW: PLAIN_SECRETS.chaos,
    DATABASE_URL: pg.url,
  });
  const inStore = async <T>(read: (s: Store) => Promise<T>) => {
    const store = await openStore({ dataDir: null, databaseUrl: pg.url });
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  };
  const runOn = (x: RunningConsole, id: string) => x.get<ChaosRun>(`/api/chaos/runs/${id}`);
  const targetState = async () => {
    const m = await t.master();
    const cfg = async (name: string) => ((await t.admin(m, "CONFIG", "GET", name)) as string[])[1];
    const [, filler] = (await t.admin(m, "SCAN", 0, "MATCH", "rrc:filler:*", "COUNT", 10000)) as [string, string[]];
    return {
      maxmemory: await cfg("maxmemory"),
      policy: await cfg("maxmemory-policy"),
      marker: await t.admin(m, "GET", "rrc:chaos-allowed"),
      lock: await t.admin(m, "GET", "rrc:chaos-lock"),
      filler: filler.length,
    };
  };

  beforeAll(async () => {
    t = await startPlainTarget(PORTS.devChaosReplicas);
    pg = startPostgres(PORTS.devChaosReplicas + 15, "dev-chaos-replicas");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-devchaos-replicas-"));
    fs.writeFileSync(
      path.join(dir, "config.json"),
      JSON.stringify({
        deployment: DEPLOYMENT,
        source: "external",
        redis: {
          masterName: PLAIN_MASTER,
          nodes: t.nodes.map((port, i) => ({ id: `dev-${i + 1}`, host: H, port })),
          sentinels: t.sentinels.map((port, i) => ({ id: `sentinel-${i + 1}`, host: H, port })),
          username: "console",
          password: { from: "env", name: "RRC_WATCH_PW" },
        },
        chaos: { allow: true, username: "rrc-chaos", password: { from: "env", name: "RRC_CHAOS_PW" } },
      }),
    );
    await t.admin(await t.master(), "SET", "rrc:chaos-allowed", DEPLOYMENT);
    const none = path.join(dir, "none");
    a = await startConsole({ port: CONSOLE_PORTS.devChaosReplicasA, devstackDir: none, env: env() });
    b = await startConsole({ port: CONSOLE_PORTS.devChaosReplicasB, devstackDir: none, env: env() });
  });
  afterAll(async () => {
    await Promise.all([a?.stop().catch(() => {}), b?.stop().catch(() => {}), c?.stop().catch(() => {})]);
    pg?.destroy();
    t?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("kill -9 of the replica running memory pressure: the other undoes its journal from the store within 15 s", async () => {
    // Both replicas accept the same OPERATOR_TOKEN, and say so.
    const agreed = await waitFor(
      "B to have compared tokens with A",
      async () => {
        const t = (await b.get<{ operatorToken: TokenAgreement }>("/api/ready")).body.operatorToken;
        return t && t.replicas >= 2 ? t : null;
      },
      20_000,
      250,
    );
    expect(agreed).toEqual({ replicas: 2, differing: 0, problem: null });
    const before = await targetState();
    const started = await startRun(a, TOKEN, "memory-pressure", { durationSeconds: 60 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await waitFor("the fill done", async () => (await runOn(a, started.id)).body.steps?.some((s) => s.name === "hold under pressure"), 30_000, 200);
    // A's heartbeat goes on 5 s past its last journal write: its own journal watch (every 2 s) has
    // looked at the live run's journal twice, and must have left it alone (it once undid it).
    await waitFor(
      "A's run to beat 5 s past its last journal write",
      async () => {
        const [row] = await inStore((s) =>
          s.db.query<{ ahead: boolean | null }>(
            "select r.updated_at > j.updated_at + interval '5 seconds' as ahead from chaos_runs r left join fault_journals j on j.run_id = r.id where r.id = $1",
            [started.id],
          ),
        );
        // No journal any more: the assertions below say what is wrong.
        return row && (row.ahead ?? true);
      },
      30_000,
      250,
    );
    // The journal is the store's, committed before the faults (maxmemory set, filler written), owned by A.
    const stored = await inStore((s) => s.journals.get(DEPLOYMENT));
    expect(stored?.journal.runId).toBe(started.id);
    expect(stored?.owner).toBe((await a.get<{ replica: string }>("/api/ready")).body.replica);
    expect(stored?.journal.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(["lock", "marker", "filler", "config"]));
    expect(fs.existsSync(path.join(a.dataDir, "chaos-journal.json"))).toBe(false);
    expect((await targetState()).filler).toBeGreaterThan(0);
    // B lists A's run and refuses a second one on the same target.
    await waitFor(
      "B to list A's run",
      async () => (await b.get<{ runs: ChaosRun[] }>("/api/chaos/runs")).body.runs.some((r) => r.id === started.id),
      10_000,
      200,
    );
    expect((await runOn(b, started.id)).body).toMatchObject({ id: started.id, state: "running" });
    const refused = await startRun(b, TOKEN, "outage", { durationSeconds: 3 });
    expect(refused.status).toBe(409);
    expect(String(refused.body.error)).toContain(started.id);

    process.kill(a.pid, "SIGKILL");
    const killedAt = Date.now();
    const after = await waitFor(
      "the target back to its originals",
      async () => {
        const s = await targetState();
        return JSON.stringify(s) === JSON.stringify(before) ? s : null;
      },
      30_000,
      200,
    );
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`[measured] kill -9 of the replica running memory pressure on a dev stack: undone by the other ${seconds.toFixed(1)} s after (bound 15 s)`);
    expect(seconds).toBeLessThanOrEqual(15);
    expect(after).toEqual(before);
    const run = await waitFor(
      "B to read the run aborted",
      async () => ((await runOn(b, started.id)).body.state === "aborted" ? (await runOn(b, started.id)).body : null),
      15_000,
      200,
    );
    expect(run.error).toBe("the replica running it stopped");
    await waitFor("the journal gone from the store", async () => (await inStore((s) => s.journals.get(DEPLOYMENT))) === null, 15_000, 250);
    const titles = (await b.get<{ events: TimelineEvent[] }>("/api/timeline")).body.events.filter((e) => e.subject === started.id).map((e) => e.title);
    expect(titles).toContain("Chaos run memory-pressure aborted: the replica running it stopped");
  });

  it("an old console's journal file is imported into the store, renamed *.imported, and undone", async () => {
    const master = await t.master();
    const [, original] = (await t.admin(master, "CONFIG", "GET", "maxmemory-policy")) as string[];
    const changed = original === "allkeys-random" ? "volatile-lru" : "allkeys-random";
    // What a console of before left when it died mid-run: the fault made, its journal a file.
    const journal: JournalFile = {
      deployment: DEPLOYMENT,
      runId: "20261206000000-memory-pressure-0a1b2c",
      startedAt: new Date().toISOString(),
      entries: [{ kind: "config", node: { host: H, port: master }, name: "maxmemory-policy", original }],
      topology: {
        nodes: t.nodes.map((port) => ({ host: H, port })),
        sentinels: t.sentinels.map((port) => ({ host: H, port })),
        masterName: PLAIN_MASTER,
      },
    };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-devchaos-replicas-old-"));
    fs.writeFileSync(path.join(dataDir, "chaos-journal.json"), JSON.stringify(journal));
    await t.admin(master, "CONFIG", "SET", "maxmemory-policy", changed);

    c = await startConsole({
      port: CONSOLE_PORTS.devChaosReplicasC,
      devstackDir: path.join(dir, "none"),
      env: { ...env(), OPERATOR_TOKEN: OTHER_TOKEN },
      dataDir,
    });
    await waitFor(
      "the policy back to its original",
      async () => ((await t.admin(master, "CONFIG", "GET", "maxmemory-policy")) as string[])[1] === original,
      30_000,
      200,
    );
    expect(fs.existsSync(path.join(dataDir, "chaos-journal.json"))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, "chaos-journal.json.imported"), "utf8"))).toEqual(journal);
    await waitFor("the journal gone from the store", async () => (await inStore((s) => s.journals.get(DEPLOYMENT))) === null, 15_000, 250);
  });

  it("a replica with another OPERATOR_TOKEN is said on /api/ready, by counts only", async () => {
    const said = await waitFor(
      "B to see C's other token",
      async () => {
        const t = (await b.get<{ operatorToken: TokenAgreement }>("/api/ready")).body.operatorToken;
        return t?.differing ? t : null;
      },
      30_000,
      250,
    );
    // A (killed) accepted B's token; only C differs.
    expect(said.differing).toBe(1);
    expect(said.problem).toContain("give every replica the same OPERATOR_TOKEN");
    const fromC = await waitFor(
      "C to see B's",
      async () => (await c!.get<{ operatorToken: TokenAgreement }>("/api/ready")).body.operatorToken?.differing,
      30_000,
      250,
    );
    expect(fromC).toBeGreaterThanOrEqual(1);
    // The answers carry neither token nor its hash.
    for (const body of [JSON.stringify((await b.get("/api/ready")).body), JSON.stringify((await c!.get("/api/ready")).body)])
      for (const secret of [TOKEN, OTHER_TOKEN, tokenHash(TOKEN), tokenHash(OTHER_TOKEN)]) expect(body).not.toContain(secret);
  });
});
