/**
 * lib/store on both engines, the same cases: PGlite in a temp data dir and a real PostgreSQL 15
 * started by this file. What the console records must read back the same whichever engine keeps it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalFile } from "../../lib/chaos/journal";
import type { ChaosRun } from "../../lib/chaos/types";
import type { Incident } from "../../lib/incidents/types";
import { secretHash } from "../../lib/store/auth-repo";
import { migrate, SCHEMA_VERSION } from "../../lib/store/migrations";
import { LeaseKeeper, RECORDS_LEASE } from "../../lib/store/lease";
import { applyRetention } from "../../lib/store/retention";
import { openStore, type Store } from "../../lib/store/store";
import type { TimelineEvent } from "../../lib/timeline/types";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { PORTS } from "./helpers/stack";

const pgliteDataDir = path.join(os.tmpdir(), `rrc-store-test-${PORTS.store}`);
let pg: TestPostgres;

beforeAll(() => {
  fs.rmSync(pgliteDataDir, { recursive: true, force: true });
  pg = startPostgres(PORTS.store, "store-test");
});
afterAll(() => {
  pg?.destroy();
  fs.rmSync(pgliteDataDir, { recursive: true, force: true });
});

const event = (id: number, at: string, title = `event ${id}`): TimelineEvent => ({ id, at, kind: "redis", severity: "warn", title });

const run = (id: string, startedAt: string, state: ChaosRun["state"], claimHeld?: boolean): ChaosRun => ({
  id,
  scenario: "outage",
  params: {},
  state,
  startedAt,
  endedAt: state === "running" ? null : startedAt,
  origin: "api",
  steps: [],
  checks:
    claimHeld === undefined
      ? []
      : [{ claim: "outage-contract", expect: "200", observed: claimHeld ? "200" : "500", verdict: claimHeld ? "held" : "refuted", ok: claimHeld }],
  metrics: {},
  postflight: null,
});

const incident = (id: string, startedAt: string, state: Incident["state"]): Incident => ({
  id,
  drill: false,
  chaosRun: null,
  title: `incident ${id}`,
  startedAt,
  noticedBy: { kind: "redis", title: "master down" },
  severity: "page",
  state,
  recoveredAt: null,
  closedAt: null,
  durationMs: null,
  layers: [],
  moments: [],
  alerts: [],
  details: [],
  eventIds: [1, 2],
});

describe.each([
  { engine: "pglite", open: () => openStore({ dataDir: pgliteDataDir }) },
  { engine: "postgres", open: () => openStore({ dataDir: null, databaseUrl: pg.url }) },
])("store on $engine", ({ engine, open }) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it("applies each migration once, recorded in schema_migrations", async () => {
    expect(store.engine).toBe(engine);
    expect(await migrate(store.db)).toEqual([]);
    const rows = await store.db.query<{ version: number }>("select version from schema_migrations order by version");
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it("keeps timeline events once each, newest last, and deletes those past retention", async () => {
    await store.timeline.append("a", [event(1, "2026-01-01T00:00:00.000Z"), event(2, "2026-06-01T00:00:00.000Z")]);
    // A buffer flushed twice writes event 2 again: stored once.
    await store.timeline.append("a", [event(2, "2026-06-01T00:00:00.000Z"), event(3, "2026-06-02T00:00:00.000Z")]);
    await store.timeline.append("b", [event(1, "2026-06-01T00:00:00.000Z", "other deployment")]);
    expect((await store.timeline.list("a")).map((e) => [e.id, e.title])).toEqual([
      [1, "event 1"],
      [2, "event 2"],
      [3, "event 3"],
    ]);
    expect((await store.timeline.list("a", 1)).map((e) => e.id)).toEqual([2, 3]);
    expect((await store.timeline.list("a", 0, 2)).map((e) => e.id)).toEqual([2, 3]);
    expect(await store.timeline.lastId("a")).toBe(3);
    expect(await store.timeline.lastId("none")).toBe(0);
    expect(await store.timeline.deleteBefore(new Date("2026-03-01T00:00:00.000Z"))).toBe(1);
    expect((await store.timeline.list("a")).map((e) => e.id)).toEqual([2, 3]);
    expect((await store.timeline.list("b")).map((e) => e.title)).toEqual(["other deployment"]);
  });

  it("saves incidents changed in place with the fold's counter, bounded", async () => {
    expect(await store.incidents.load("a")).toEqual({ seq: 0, incidents: [], savedAt: null });
    await store.incidents.save("a", 1, [incident("inc-1", "2026-06-01T00:00:00.000Z", "open")]);
    await store.incidents.save("a", 2, [incident("inc-1", "2026-06-01T00:00:00.000Z", "closed"), incident("inc-2", "2026-06-02T00:00:00.000Z", "open")]);
    const saved = await store.incidents.load("a");
    expect(saved.seq).toBe(2);
    expect(saved.incidents.map((i) => [i.id, i.state])).toEqual([
      ["inc-1", "closed"],
      ["inc-2", "open"],
    ]);
    expect(Date.parse(saved.savedAt!)).toBeGreaterThan(Date.parse("2026-01-01"));
    await store.incidents.save("a", 3, [incident("inc-3", "2026-06-03T00:00:00.000Z", "open")], 2);
    expect((await store.incidents.load("a")).incidents.map((i) => i.id)).toEqual(["inc-2", "inc-3"]);
    expect((await store.incidents.load("b")).incidents).toEqual([]);
  });

  it("gives every deployment's events in the order they were written, whatever their ids, and every open incident in one read", async () => {
    const mark = await store.timeline.lastWritten();
    await store.timeline.append("w1", [event(100, "2026-06-10T00:00:10.000Z")]);
    await store.timeline.append("w2", [event(5, "2026-06-10T00:00:05.000Z")]);
    // A new holder's handover writes an event seen before the others: an older id, written last.
    await store.timeline.append("w1", [event(50, "2026-06-10T00:00:01.000Z"), event(100, "2026-06-10T00:00:10.000Z")]);
    const written = await store.timeline.writtenAfter(mark);
    expect(written.map((w) => `${w.deployment} ${w.event.id}`)).toEqual(["w1 100", "w2 5", "w1 50"]);
    expect(written[1].written).toBeGreaterThan(written[0].written);
    expect((await store.timeline.writtenAfter(written[1].written)).map((w) => w.event.id)).toEqual([50]);
    expect(await store.timeline.writtenAfter(mark, 1)).toHaveLength(1);
    expect(await store.timeline.lastWritten()).toBe(written[2].written);

    await store.incidents.save("w1", 1, [incident("w-open", "2026-06-10T00:00:00.000Z", "open"), incident("w-closed", "2026-06-09T00:00:00.000Z", "closed")]);
    await store.incidents.save("w2", 1, [incident("w2-closed", "2026-06-10T00:00:00.000Z", "closed")]);
    const open = (await store.incidents.openAll()).filter((o) => o.deployment.startsWith("w"));
    expect(open.map((o) => `${o.deployment} ${o.incident.id} ${o.incident.state}`)).toEqual(["w1 w-open open"]);
  });

  it("keeps the last version of an amended failover, newest first, bounded", async () => {
    await store.failovers.save("a", { id: "f1", startedAt: "2026-06-01T00:00:00.000Z", outcome: "in-progress" } as never);
    await store.failovers.save("a", { id: "f2", startedAt: "2026-06-02T00:00:00.000Z", outcome: "in-progress" } as never);
    await store.failovers.save("a", { id: "f1", startedAt: "2026-06-01T00:00:00.000Z", outcome: "completed" } as never);
    const list = await store.failovers.list<{ id: string; startedAt: string; outcome: string }>("a");
    expect(list.map((f) => [f.id, f.outcome])).toEqual([
      ["f2", "in-progress"],
      ["f1", "completed"],
    ]);
    expect((await store.failovers.list("a", 1)).map((f) => f.id)).toEqual(["f2"]);
  });

  it("keeps runs with their owner until final, aborts asked from anywhere, and the scorecard of the latest verdicts", async () => {
    await store.runs.save("sandbox", run("r1", "2026-06-01T00:00:00.000Z", "passed", true), "replica-a");
    await store.runs.save("sandbox", run("r2", "2026-06-02T00:00:00.000Z", "running"), "replica-a");
    expect((await store.runs.unfinished("sandbox")).map((u) => [u.run.id, u.owner])).toEqual([["r2", "replica-a"]]);
    expect(await store.runs.abortAsked("r2")).toBe(false);
    await store.runs.askAbort("r2");
    await store.runs.askAbort("r2");
    expect(await store.runs.abortAsked("r2")).toBe(true);
    await store.runs.save("sandbox", { ...run("r2", "2026-06-02T00:00:00.000Z", "failed", false) }, "replica-a");
    expect(await store.runs.unfinished("sandbox")).toEqual([]);
    expect((await store.runs.get("r2"))?.state).toBe("failed");
    expect(await store.runs.get("nope")).toBeNull();
    expect((await store.runs.list("sandbox")).map((r) => r.id)).toEqual(["r2", "r1"]);
    const card = await store.runs.scorecard("sandbox");
    expect(card.find((c) => c.claim === "outage-contract")).toMatchObject({ verdict: "refuted", runId: "r2" });
    expect(await store.runs.deleteBefore(new Date("2026-06-01T12:00:00.000Z"))).toBe(1);
    expect((await store.runs.list("sandbox")).map((r) => r.id)).toEqual(["r2"]);
  });

  it("hands a silent replica's unfinished run to one claimant, never a live one's or a final one", async () => {
    await store.runs.save("handover", run("h1", "2026-06-03T00:00:00.000Z", "running"), "replica-a");
    await store.runs.save("handover", run("h2", "2026-06-03T00:00:01.000Z", "passed", true), "replica-a");
    await store.runs.heartbeat("h1", "replica-a");
    // Alive a moment ago: nobody may take it.
    expect(await store.runs.claimStale("handover", "replica-b", 60_000)).toEqual([]);
    // Silent for a minute: one of two claimants gets it, the other nothing; its owner's own look never claims it.
    await store.db.query("update chaos_runs set updated_at = now() - interval '1 minute' where id = 'h1'");
    expect(await store.runs.claimStale("handover", "replica-a", 5000)).toEqual([]);
    const [byB, byC] = await Promise.all([store.runs.claimStale("handover", "replica-b", 5000), store.runs.claimStale("handover", "replica-c", 5000)]);
    expect([...byB, ...byC].map((r) => r.id)).toEqual(["h1"]);
    const winner = byB.length ? "replica-b" : "replica-c";
    expect((await store.runs.unfinished("handover")).map((u) => [u.run.id, u.owner])).toEqual([["h1", winner]]);
  });

  it("commits a fault journal before a fault, refuses a second run's, and forgets it when finished", async () => {
    const journal: JournalFile = { deployment: "dev", runId: "r9", startedAt: "2026-06-01T00:00:00.000Z", entries: [] };
    await store.journals.put(journal, "replica-a");
    journal.entries.push({ kind: "config", node: { host: "127.0.0.1", port: 1 }, name: "maxmemory", original: "0" });
    await store.journals.put(journal, "replica-a");
    expect(await store.journals.get("dev")).toEqual({ journal, owner: "replica-a" });
    await expect(store.journals.put({ ...journal, runId: "r10" }, "replica-b")).rejects.toThrow(/another run's unfinished fault journal/);
    await store.journals.finish("dev", "r9");
    expect(await store.journals.get("dev")).toBeNull();
  });

  it("keeps sessions, codes and links by hash only; a code is redeemed once, whoever asks first", async () => {
    const now = Date.now();
    await store.auth.putSession("session-id-1", { kind: "operator", tokenHash: "th", expiresAt: now + 60_000 });
    await store.auth.putSession("session-id-2", { kind: "viewer", tokenHash: null, expiresAt: now - 1 });
    expect(await store.auth.getSession("session-id-1")).toMatchObject({ kind: "operator", tokenHash: "th" });
    expect(await store.auth.getSession("session-id-2")).toBeNull();
    const ids = await store.db.query<{ id_hash: string }>("select id_hash from sessions");
    expect(ids.map((r) => r.id_hash)).not.toContain("session-id-1");
    expect(ids.map((r) => r.id_hash)).toContain(secretHash("session-id-1"));
    await store.auth.revokeSession("session-id-1");
    expect(await store.auth.getSession("session-id-1")).toBeNull();

    await store.auth.putLoginCode("code-1", now + 60_000);
    const redeemed = await Promise.all([store.auth.redeemLoginCode("code-1"), store.auth.redeemLoginCode("code-1")]);
    expect(redeemed.filter(Boolean)).toHaveLength(1);
    await store.auth.putLoginCode("code-old", now - 1);
    expect(await store.auth.redeemLoginCode("code-old")).toBe(false);

    await store.viewerLinks.create("link-1", { id: "vl_000000000001", deployment: "sandbox", createdBy: "ada", expiresAt: now + 60_000 });
    // A link that may open one session: two replicas opening at once get one session between them.
    const opened = await Promise.all([store.viewerLinks.open("link-1", "viewer-a", 1), store.viewerLinks.open("link-1", "viewer-b", 1)]);
    expect(opened.map((o) => o.kind).sort()).toEqual(["full", "opened"]);
    expect(await store.viewerLinks.open("link-2", "viewer-c", 1)).toEqual({ kind: "unknown" });
    const session = opened[0].kind === "opened" ? "viewer-a" : "viewer-b";
    expect(await store.viewerLinks.sessionGrant(session)).toEqual({ linkId: "vl_000000000001", deployment: "sandbox" });
    expect(JSON.stringify(await store.db.query("select * from viewer_links"))).not.toContain("link-1");
    await store.auth.sweep(now + 120_000);
    expect(await store.viewerLinks.get("vl_000000000001", now)).toBeNull();
    expect(await store.viewerLinks.sessionGrant(session, now)).toBeNull();
  });

  it("retention removes timeline events, finished runs and failovers older than the days kept, nothing newer", async () => {
    const now = Date.parse("2026-12-01T00:00:00.000Z");
    await store.timeline.append("ret", [event(1, "2026-08-01T00:00:00.000Z"), event(2, "2026-11-20T00:00:00.000Z")]);
    await store.runs.save("ret", run("ret-old", "2026-08-01T00:00:00.000Z", "passed"), null);
    await store.runs.save("ret", run("ret-running", "2026-08-01T00:00:00.000Z", "running"), "replica-a");
    await store.runs.save("ret", run("ret-new", "2026-11-20T00:00:00.000Z", "passed"), null);
    await store.failovers.save("ret", { id: "ret-f-old", startedAt: "2026-08-01T00:00:00.000Z" });
    await store.failovers.save("ret", { id: "ret-f-new", startedAt: "2026-11-20T00:00:00.000Z" });
    const gone = await applyRetention(store, 30, now);
    expect(gone.cutoff).toBe("2026-11-01T00:00:00.000Z");
    expect((await store.timeline.list("ret")).map((e) => e.id)).toEqual([2]);
    expect((await store.runs.list("ret")).map((r) => r.id).sort()).toEqual(["ret-new", "ret-running"]);
    expect((await store.failovers.list("ret")).map((f) => f.id)).toEqual(["ret-f-new"]);
    expect(await applyRetention(store, 30, now)).toMatchObject({ timeline: 0, runs: 0, failovers: 0 });
  });

  it("grants the lease to one holder, renews it, and hands it over once it expires or is released", async () => {
    expect(await store.leases.acquire("writer", "a", 60_000)).toMatchObject({ holder: "a", took: true, previous: null });
    expect(await store.leases.acquire("writer", "b", 60_000)).toMatchObject({ holder: "a", took: false });
    const renewed = await store.leases.acquire("writer", "a", 1);
    expect(renewed).toMatchObject({ holder: "a", took: false, previous: { holder: "a", expired: false } });
    // Expired: a 1 ms lease is past as soon as the database's clock moves.
    await store.db.query("select pg_sleep(0.05)");
    expect(await store.leases.current("writer")).toBeNull();
    // The new holder learns when the previous one last renewed: it writes what it saw since.
    const taken = await store.leases.acquire("writer", "b", 60_000);
    expect(taken).toMatchObject({ holder: "b", took: true, previous: { holder: "a", expired: true } });
    expect(Date.parse(taken.previous!.renewedAt)).toBeLessThanOrEqual(Date.parse(taken.expiresAt) - 60_000);
    await store.leases.release("writer", "a");
    expect((await store.leases.current("writer"))?.holder).toBe("b");
    await store.leases.release("writer", "b");
    expect(await store.leases.acquire("writer", "a", 60_000)).toMatchObject({ holder: "a", took: true, previous: { holder: "b", expired: true } });
  });

  it("a replica still warming up leaves an expired lease to its last holder, and takes it once warmed up", async () => {
    // The last holder's lease ran out (a store outage outlasting it): its fenced sightings were refused.
    await store.leases.acquire(RECORDS_LEASE, "holder-a", 1);
    await store.db.query("select pg_sleep(0.05)");
    expect(await store.leases.current(RECORDS_LEASE)).toBeNull();
    const said: string[] = [];
    const b = new LeaseKeeper(
      () => store,
      "replica-b",
      60_000,
      60_000,
      (l) => said.push(l),
    );
    b.setWarmingUp("sandbox", true);
    b.start();
    try {
      await b.renew();
      expect(b.view()).toMatchObject({ mine: false, holder: null });
      expect((await store.leases.lastHolder(RECORDS_LEASE))?.holder).toBe("holder-a");
      expect(said.join("\n")).toMatch(/replica-b\) is warming up \(sandbox\): it leaves the records lease to holder-a/);
      b.setWarmingUp("sandbox", false);
      await b.renew();
      expect(b.view()).toMatchObject({ mine: true, holder: "replica-b" });
      expect(said.at(-1)).toMatch(/holds the records lease, taken over from holder-a/);
    } finally {
      await b.release();
    }
    // With no previous holder, or its own, a warming replica takes it as before (a first start).
    const c = new LeaseKeeper(
      () => store,
      "replica-b",
      60_000,
      60_000,
      () => {},
    );
    c.setWarmingUp("sandbox", true);
    c.start();
    await c.renew();
    expect(c.view().mine).toBe(true);
    await c.release();
  });

  it("a renewal whose answer was lost does not move where the next holder's handover starts", async () => {
    const took = await store.leases.acquire("window", "a", 60_000);
    const answered = await store.leases.acquire("window", "a", 60_000, took.at);
    await store.db.query("select pg_sleep(0.05)");
    // Committed, but its answer never reached "a" (a deadline on a loaded machine): "a" still says `answered`.
    const lost = await store.leases.acquire("window", "a", 60_000, answered.at);
    expect(lost.previous!.renewedAt).toBe(took.at);
    await store.db.query("select pg_sleep(0.05)");
    await store.leases.acquire("window", "a", 60_000, answered.at);
    await store.leases.release("window", "a");
    const taken = await store.leases.acquire("window", "b", 60_000);
    expect(taken).toMatchObject({ holder: "b", took: true, previous: { holder: "a", renewedAt: answered.at } });
    expect(Date.parse(answered.at)).toBeLessThan(Date.parse(lost.at));
    // A take keeps it until the taker has the answer and renews saying so: "a"'s sightings since are "b"'s to write.
    expect((await store.leases.acquire("window", "b", 60_000)).previous!.renewedAt).toBe(answered.at);
    expect((await store.leases.acquire("window", "b", 60_000, taken.at)).previous!.renewedAt).toBe(answered.at);
    expect((await store.leases.acquire("window", "b", 60_000)).previous!.renewedAt).toBe(taken.at);
  });

  it("writes fenced records only while the lease is held, and keeps another replica's event that took the same id", async () => {
    const fence = (holder: string) => ({ lease: "fence", holder });
    await store.leases.acquire("fence", "a", 60_000);
    expect(await store.timeline.append("f", [event(1, "2026-06-01T00:00:00.000Z", "seen by a")], fence("a"))).toBe(1);
    expect(await store.timeline.append("f", [event(2, "2026-06-01T00:00:01.000Z", "seen by b")], fence("b"))).toBe(0);
    await store.incidents.save("f", 1, [incident("inc-b", "2026-06-01T00:00:00.000Z", "open")], 200, null, fence("b"));
    await store.failovers.save("f", { id: "fo-b", startedAt: "2026-06-01T00:00:00.000Z" }, fence("b"));
    await store.incidents.save("f", 1, [incident("inc-a", "2026-06-01T00:00:00.000Z", "open")], 200, null, fence("a"));
    await store.failovers.save("f", { id: "fo-a", startedAt: "2026-06-01T00:00:00.000Z" }, fence("a"));
    expect((await store.incidents.load("f")).incidents.map((i) => i.id)).toEqual(["inc-a"]);
    expect((await store.failovers.list("f")).map((x) => x.id)).toEqual(["fo-a"]);
    // An event written again is stored once; another replica's event on the same id is kept under the next one.
    expect(await store.timeline.append("f", [event(1, "2026-06-01T00:00:00.000Z", "seen by a")], fence("a"))).toBe(0);
    expect(await store.timeline.append("f", [event(1, "2026-06-01T00:00:02.000Z", "a chaos step on b")])).toBe(1);
    expect((await store.timeline.list("f")).map((e) => [e.id, e.title])).toEqual([
      [1, "seen by a"],
      [2, "a chaos step on b"],
    ]);
    expect((await store.timeline.listSince("f", "2026-06-01T00:00:01.000Z")).map((e) => e.id)).toEqual([2]);
  });
});

describe("store engines", () => {
  it("PGlite keeps what it wrote across a reopen of its data dir", async () => {
    const first = await openStore({ dataDir: pgliteDataDir });
    await first.timeline.append("reopen", [event(7, "2026-06-01T00:00:00.000Z")]);
    await first.close();
    const again = await openStore({ dataDir: pgliteDataDir });
    expect((await again.timeline.list("reopen")).map((e) => e.id)).toEqual([7]);
    await again.close();
  });

  it("two replicas migrating one PostgreSQL at once both start on one schema", async () => {
    pg.stop();
    pg.start();
    const [a, b] = await Promise.all([openStore({ dataDir: null, databaseUrl: pg.url }), openStore({ dataDir: null, databaseUrl: pg.url })]);
    expect((await a.db.query<{ n: number }>("select count(*)::int as n from schema_migrations"))[0].n).toBe(SCHEMA_VERSION);
    await Promise.all([a.close(), b.close()]);
  });

  it("a PostgreSQL statement past the timeout fails with the bound, and an unreachable server is said so", async () => {
    const slow = await openStore({ dataDir: null, databaseUrl: pg.url, timeoutMs: 300 });
    await expect(slow.db.query("select pg_sleep(3)")).rejects.toThrow(/statement timeout|did not answer/);
    await slow.close();
    pg.stop();
    try {
      const down = await openStore({ dataDir: null, databaseUrl: pg.url, timeoutMs: 300 }).catch((e: Error) => e);
      expect(down).toBeInstanceOf(Error);
      expect((down as Error).message).toMatch(/migrations failed: .*(ECONNREFUSED|connect)/);
    } finally {
      pg.start();
    }
  });
});
