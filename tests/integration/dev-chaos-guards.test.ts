/**
 * Guards of chaos on a dev stack the console did not start (issue 30). Item 1: a failed restore's
 * journal is never written over — a memory-pressure restore fails while the target refuses the
 * chaos user (its ACL switched off for a while, as an ACL reload gone wrong would), the journal
 * keeps the originals at 0600, a new run is refused (409 naming the journal) while the console
 * retries the restore with backoff, and once the user is back the retry puts maxmemory and the
 * policy back as they were. Item 2: GET /api/chaos/plan is the operator's, cached and bounded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOURNAL_FILE, type JournalFile } from "../../lib/chaos/journal";
import { chaosAclLine } from "../../lib/chaos/targets/acl";
import { MARKER_KEY } from "../../lib/chaos/targets/opt-in";
import { ChaosSession, type SessionOptions } from "../../lib/chaos/targets/session";
import { startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { PLAIN_MASTER, PLAIN_SECRETS, startPlainTarget, watchedRedis, type PlainTarget } from "./helpers/plain-target";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const TOKEN = "integration-operator-token-chaos-journal-0123456789";
const H = "127.0.0.1";
const node = (p: number) => ({ host: H, port: p });
let t: PlainTarget;
let dir: string;
let dataDir: string;
let app: RunningConsole | null = null;
const chaosUser = async (state: "on" | "off") => {
  for (const p of t.nodes) await t.admin(p, "ACL", "SETUSER", "rrc-chaos", state);
};

const options = (runId: string): SessionOptions => ({
  deployment: "journaled",
  allow: true,
  dataDir,
  runId,
  lockTtlMs: 5000,
  nodes: t.nodes.map(node),
  sentinels: t.sentinels.map(node),
  masterName: PLAIN_MASTER,
  auth: { username: "rrc-chaos", password: () => PLAIN_SECRETS.chaos, tlsField: "redis.tls", passwordField: "chaos.password" },
  sentinelAuth: { password: () => undefined, tlsField: "redis.sentinelTls", passwordField: "redis.sentinelPassword" },
  timeoutMs: 1000,
  connectionHeadroom: 20,
});

const cfg = async (name: string) => ((await t.admin(t.nodes[0], "CONFIG", "GET", name)) as string[])[1];
const journalPath = () => path.join(dataDir, JOURNAL_FILE);

beforeAll(async () => {
  t = await startPlainTarget(PORTS.devChaosGuards);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-chaos-journal-"));
  dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      deployment: "journaled",
      source: "external",
      redis: watchedRedis(t, H),
      chaos: { allow: true, username: "rrc-chaos", password: { from: "env", name: "RRC_CHAOS_PW" } },
    }),
  );
  await t.admin(t.nodes[0], "SET", MARKER_KEY, "journaled");
  await t.admin(t.nodes[0], "CONFIG", "SET", "maxmemory-policy", "noeviction");
}, 60_000);
afterAll(async () => {
  await app?.stop().catch(() => {});
  t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a restore that fails once", () => {
  it("keeps the journal, refuses new runs (409 naming it) until the retried restore has put the originals back", async () => {
    expect([await cfg("maxmemory"), await cfg("maxmemory-policy")]).toEqual(["0", "noeviction"]);
    const begun = await ChaosSession.begin(options("run-failed-restore"));
    if (!begun.ok) throw new Error(begun.refusal.reason);
    await begun.session.target.fillMemory(50, 120_000, "allkeys-lru");
    expect(await cfg("maxmemory-policy")).toBe("allkeys-lru");

    // The target refuses the chaos user while the run restores: the restore fails and the journal stays.
    await chaosUser("off");
    const ended = await begun.session.end();
    expect(ended.problems.length).toBeGreaterThan(0);
    expect(fs.statSync(journalPath()).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(fs.readFileSync(journalPath(), "utf8")) as JournalFile;
    expect(kept.runId).toBe("run-failed-restore");
    const originals = kept.entries.filter((e) => e.kind === "config");
    expect(originals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "maxmemory", original: "0" }),
        expect.objectContaining({ name: "maxmemory-policy", original: "noeviction" }),
      ]),
    );
    const journalBytes = fs.readFileSync(journalPath(), "utf8");

    // A new session is refused without touching the journal (today's begin() wrote over it).
    const second = await ChaosSession.begin(options("run-second"));
    expect(second.ok || second.refusal).toMatchObject({ key: "journal", reason: expect.stringContaining("run-failed-restore") });
    expect(fs.readFileSync(journalPath(), "utf8")).toBe(journalBytes);

    // The console started on this data dir: its restore fails while the user is refused, and runs wait.
    app = await startConsole({
      port: CONSOLE_PORTS.devChaosGuards,
      devstackDir: path.join(dir, "none"),
      env: {
        OPERATOR_TOKEN: TOKEN,
        CONSOLE_CONFIG: path.join(dir, "config.json"),
        CONSOLE_DATA_DIR: dataDir,
        RRC_WATCH_PW: PLAIN_SECRETS.console,
        RRC_CHAOS_PW: PLAIN_SECRETS.chaos,
      },
    });
    type Catalogue = { recovery: { state: string; runId: string | null; attempts: number; problems: string[] } };
    // The scenarios' availability asks the target (each call bounded by the target's timeout): a longer wait than app.get's.
    const catalogue = async () => (await (await fetch(`${app!.url}/api/chaos/scenarios`, { signal: AbortSignal.timeout(30_000) })).json()) as Catalogue;
    const waiting = await waitFor(
      "the console's first restore attempt to fail",
      async () => {
        const c = await catalogue();
        return c.recovery.state === "waiting" ? c.recovery : null;
      },
      60_000,
      250,
    );
    expect(waiting).toMatchObject({ runId: "run-failed-restore", attempts: expect.any(Number) });
    expect(waiting.problems.length).toBeGreaterThan(0);
    const refused = await startRun(app, TOKEN, "memory-pressure", { durationSeconds: 3 });
    expect(refused.status).toBe(409);
    expect(String(refused.body.error)).toContain(journalPath());
    expect(String(refused.body.error)).toContain("run-failed-restore");
    expect(fs.readFileSync(journalPath(), "utf8")).toBe(journalBytes);

    // The chaos user is back: the next retry restores the originals and finishes the journal.
    await chaosUser("on");
    await waitFor(
      "the retried restore to finish the journal",
      async () => (await catalogue()).recovery.state === "idle" && !fs.existsSync(journalPath()),
      90_000,
      250,
    );
    expect([await cfg("maxmemory"), await cfg("maxmemory-policy")]).toEqual(["0", "noeviction"]);
    const [, filler] = (await t.admin(t.nodes[0], "SCAN", 0, "MATCH", "rrc:filler:*", "COUNT", 10000)) as [string, string[]];
    expect(filler).toEqual([]);
    const timeline = (await app.get<{ events: { title: string }[] }>("/api/timeline")).body.events.map((e) => e.title);
    expect(timeline.some((x) => x.includes("run-failed-restore") && x.includes("NOT finished"))).toBe(true);
    expect(timeline.some((x) => x.includes("run-failed-restore") && x.includes("were undone"))).toBe(true);
  }, 240_000);
});

/** Every connection a data node has accepted since it started. */
const accepted = async () => {
  let sum = 0;
  for (const p of t.nodes) sum += Number(/total_connections_received:(\d+)/.exec(String(await t.admin(p, "INFO", "stats")))![1]);
  return sum;
};

describe("GET /api/chaos/plan (item 2)", () => {
  const plan = (params: Record<string, unknown>, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${app!.url}/api/chaos/plan?scenario=outage&params=${encodeURIComponent(JSON.stringify(params))}`, { headers, signal: AbortSignal.timeout(30_000) });

  it("is refused without the operator and from another site's page", async () => {
    expect((await plan({ durationSeconds: 4 }, {})).status).toBe(401);
    const crossSite = await plan({ durationSeconds: 4 }, { authorization: `Bearer ${TOKEN}`, "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
  });

  it("asked 50 times at once, opens the connections of one plan; distinct plans beyond two in flight are 429", async () => {
    const before = await accepted();
    const answers = await Promise.all(Array.from({ length: 50 }, () => plan({ durationSeconds: 5 })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    // One plan asks the master its role once; the two INFO calls of this count are the test's own; the console's
    // watch may reconnect once meanwhile (seen with four files at a time). Fifty uncached plans would open fifty or more.
    expect((await accepted()) - before).toBeLessThanOrEqual(6);

    // A sentinel that does not answer makes each plan wait out its timeout: the bound shows.
    const info = execFileSync("redis-cli", ["-p", String(t.sentinels[0]), "INFO", "server"], { encoding: "utf8", timeout: 5000 });
    const sentinelPid = Number(/process_id:(\d+)/.exec(info)![1]);
    process.kill(sentinelPid, "SIGSTOP");
    try {
      const distinct = await Promise.all(Array.from({ length: 20 }, (_, i) => plan({ durationSeconds: 10 + i })));
      const statuses = distinct.map((a) => a.status);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(2);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(18);
      expect(distinct.find((a) => a.status === 429)?.headers.get("retry-after")).toBe("1");
    } finally {
      process.kill(sentinelPid, "SIGCONT");
    }
  }, 120_000);
});

describe("the marker on every node a run touches (item 6)", () => {
  it("refuses a config that lists a node outside the marked stack, naming it", async () => {
    // A Redis of its own, not a replica of the marked master: the chaos user exists there too.
    const port = PORTS.devChaosGuards + 10;
    const conf = path.join(dir, "outsider.conf");
    fs.writeFileSync(
      conf,
      [`port ${port}`, "bind 127.0.0.1", `dir ${dir}`, 'save ""', "appendonly no", chaosAclLine("rrc-chaos", PLAIN_SECRETS.chaos)].join("\n") + "\n",
    );
    const outsider = spawn("redis-server", [conf], { stdio: "ignore" });
    try {
      await waitFor(
        "the outsider to answer",
        () =>
          execFileSync("redis-cli", ["--user", "rrc-chaos", "--pass", PLAIN_SECRETS.chaos, "--no-auth-warning", "-p", String(port), "PING"], {
            encoding: "utf8",
          }).includes("PONG"),
        10_000,
      );
      const refused = await ChaosSession.begin({ ...options("run-outsider"), nodes: [...t.nodes, port].map(node) });
      expect(refused.ok || refused.refusal).toMatchObject({ key: "marker", reason: expect.stringContaining(`${H}:${port}`) });
      expect(await t.admin(t.nodes[0], "GET", "rrc:chaos-lock")).toBeNull();
      expect(fs.existsSync(journalPath())).toBe(false);
    } finally {
      outsider.kill("SIGKILL");
    }
  });

  it("a marker deleted mid-run stops the run and stays deleted", async () => {
    const told: string[] = [];
    const begun = await ChaosSession.begin({ ...options("run-revoked"), onRevoked: (why) => told.push(why) });
    if (!begun.ok) throw new Error(begun.refusal.reason);
    await t.admin(t.nodes[0], "DEL", MARKER_KEY);
    await waitFor("the run to be told consent was revoked", () => begun.session.revoked, 10_000);
    expect(told).toEqual([expect.stringContaining("deleted")]);
    expect(await t.admin(t.nodes[0], "GET", MARKER_KEY)).toBeNull();
    expect((await begun.session.end()).problems).toEqual([]);
    expect(await t.admin(t.nodes[0], "GET", MARKER_KEY)).toBeNull();
    expect(await t.admin(t.nodes[0], "GET", "rrc:chaos-lock")).toBeNull();
  });
});
