/**
 * Two consoles on one PostgreSQL and one sandbox, as a platform team runs them behind a load
 * balancer: a session made on one works on the other; both watch, one holds the records lease
 * and writes what they both observe once; kill -9 of the holder hands the lease to the other
 * within 10 s; PostgreSQL stopped for 20 s leaves both serving and saying so, and the events of
 * those 20 s are in the store once afterwards. Both serve the same lists from the store: incidents,
 * timeline, run history and scorecard, whichever replica recorded or ran them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { Incident } from "../../lib/incidents/types";
import type { ChaosRun, ScorecardEntry } from "../../lib/chaos/types";
import type { Readiness } from "../../lib/store/readiness";
import { openStore } from "../../lib/store/store";
import type { TimelineEvent } from "../../lib/timeline/types";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "replicas-operator-token-0123456789abcdef";
const DEPLOYMENT = "sandbox";
type Ready = Readiness & { status: string; reason: string | null };

describe("two consoles on one PostgreSQL", () => {
  const settings = testSettings(PORTS.replicas);
  let state: StackState;
  let pg: TestPostgres;
  const consoles: Record<"a" | "b", RunningConsole | null> = { a: null, b: null };
  const start = async (which: "a" | "b") =>
    (consoles[which] = await startConsole({
      port: which === "a" ? CONSOLE_PORTS.replicasA : CONSOLE_PORTS.replicasB,
      devstackDir: settings.dir,
      env: { DATABASE_URL: pg.url, OPERATOR_TOKEN: TOKEN, INCIDENTS_SETTLE_MS: "3000" },
    }));
  const both = () => [consoles.a!, consoles.b!];
  const ready = async (c: RunningConsole) => c.get<Ready>("/api/ready");
  const waitReady = (c: RunningConsole) => waitFor(`${c.url} ready`, async () => ((await ready(c)).status === 200 ? (await ready(c)).body : null), 60_000, 250);
  /** The console that holds the lease and the other, once both agree who holds it. */
  const holderAndOther = () =>
    waitFor(
      "one holder both agree on",
      async () => {
        const [ra, rb] = await Promise.all(both().map(ready));
        if (ra.body.lease?.holder == null || ra.body.lease.holder !== rb.body.lease?.holder || ra.body.lease.mine === rb.body.lease.mine) return null;
        return ra.body.lease.mine
          ? { holder: consoles.a!, other: consoles.b!, id: ra.body.replica }
          : { holder: consoles.b!, other: consoles.a!, id: rb.body.replica };
      },
      30_000,
      250,
    );
  const inStore = async <T>(read: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>) => {
    const store = await openStore({ dataDir: null, databaseUrl: pg.url });
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  };
  const storedEvents = (since: string) => inStore((s) => s.timeline.listSince(DEPLOYMENT, since));
  const titled = (events: TimelineEvent[], title: string) => events.filter((e) => e.title === title);
  type Incidents = { open: string | null; incidents: Incident[]; source: string };
  type Timeline = { events: TimelineEvent[]; source: string };
  /** A list as both consoles serve it, once they serve the same one (each reads the store: nothing of its own differs). */
  const sameOnBoth = <T>(what: string, read: (c: RunningConsole) => Promise<T>) =>
    waitFor(
      `both consoles to serve the same ${what}`,
      async () => {
        const [x, y] = await Promise.all(both().map(read));
        return JSON.stringify(x) === JSON.stringify(y) ? x : null;
      },
      20_000,
      250,
    );

  beforeAll(async () => {
    state = await startStack(settings);
    pg = startPostgres(PORTS.replicas + 15, "replicas");
    await Promise.all([start("a"), start("b")]);
    await Promise.all(both().map(waitReady));
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await Promise.all([consoles.a?.stop(), consoles.b?.stop()]);
    pg?.destroy();
    await stopStack(settings);
  });

  it("one replica holds the lease, and both say which on /api/ready and the Config page", async () => {
    const { holder, other, id } = await holderAndOther();
    expect((await ready(holder)).body.lease).toMatchObject({ holder: id, mine: true });
    expect((await ready(other)).body.lease).toMatchObject({ holder: id, mine: false });
    const page = await waitFor("the Config page to name the holder", async () => {
      const html = (await other.get<string>("/config")).body;
      return html.includes(`data-holder="${id}"`) ? html : null;
    });
    expect(page).toContain('data-mine="false"');
  });

  it("a session made on A works on B", async () => {
    const [a, b] = both();
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: TOKEN }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    expect((await b.get<{ operator: boolean }>("/api/auth/session", { cookie })).body.operator).toBe(true);
    expect((await b.get<{ operator: boolean }>("/api/auth/session", { cookie: `${cookie.split("=")[0]}=forged` })).body.operator).toBe(false);
  });

  it("an outage both consoles see is one incident and one event per change in the store", async () => {
    // Both past their warm-up (no event of a console's own start-up is recorded), every layer ok.
    // An event carries the time its look began, and a look that saw every layer ok began before
    // the cut: the cut's events are at or after the earliest such look (a slow look that began
    // seconds before the cut and saw it is one of them; a window of wall-clock seconds was not).
    const okLooks: string[] = [];
    for (const c of both())
      okLooks.push(
        await waitFor(
          `${c.url} warmed up, every layer ok`,
          async () => {
            const s = await c.snapshot();
            return s.warmingUp !== true && s.layers.every((l) => l.status === "ok") && s.tick.lookStartedAt ? s.tick.lookStartedAt : null;
          },
          30_000,
          250,
        ),
      );
    const cutAt = okLooks.sort()[0];
    await control(state, "POST", "/proxy/cut", { ttlSeconds: 60 });
    for (const c of both())
      await waitFor(`${c.url} to open an incident`, async () => (await c.get<{ open: string | null }>("/api/incidents")).body.open, 30_000, 250);
    await control(state, "DELETE", "/proxy/faults");
    for (const c of both())
      await waitFor(`${c.url} to close it`, async () => (await c.get<{ open: string | null }>("/api/incidents")).body.open === null, 60_000, 250);
    const stored = await waitFor(
      "the closed incident in the store",
      async () => {
        const list = (await inStore((s) => s.incidents.load(DEPLOYMENT))).incidents.filter((i: Incident) => i.startedAt >= cutAt);
        return list.length && list.every((i) => i.state === "closed") ? list : null;
      },
      30_000,
      500,
    );
    expect(stored.map((i) => i.drill)).toEqual([false]);
    // Each console saw L3 go unavailable; the store has it once.
    const events = await storedEvents(cutAt);
    const seen = `stored since ${cutAt}: ${events.map((e) => `${e.at} ${e.title}`).join(" | ")}`;
    expect(titled(events, "L3 unavailable (was ok)"), seen).toHaveLength(1);
    expect(titled(events, "Redis unreachable for the layers"), seen).toHaveLength(1);

    // Both replicas list that incident under the store's id, and each opens its page.
    const incidents = await sameOnBoth("incident list", async (c) => (await c.get<Incidents>("/api/incidents")).body);
    expect(incidents.source).toBe("store");
    expect(incidents.incidents.filter((i) => i.startedAt >= cutAt).map((i) => i.id)).toEqual(stored.map((i) => i.id));
    for (const c of both()) expect((await c.get<{ incident: Incident }>(`/api/incidents/${stored[0].id}`)).body.incident.state).toBe("closed");
    // And the same timeline: each change once, under one id, on either replica.
    const timeline = await sameOnBoth("timeline since the cut", async (c) => {
      const body = (await c.get<Timeline>("/api/timeline")).body;
      return { source: body.source, events: body.events.filter((e) => e.at >= cutAt).map((e) => `${e.id} ${e.title}`) };
    });
    expect(timeline.source).toBe("store");
    expect(timeline.events.filter((e) => e.endsWith(" L3 unavailable (was ok)"))).toHaveLength(1);
  });

  it("a drill run on the replica that does not hold the lease is one drill in the store, not an outage", async () => {
    const { holder, other } = await holderAndOther();
    const since = new Date().toISOString();
    const started = await startRun(other, TOKEN, "outage", { durationSeconds: 4 });
    expect(started.status).toBe(202);
    // The holder shows the other's run as the one in progress, and refuses a second one on the sandbox.
    await waitFor(
      "the holder to show the run in progress",
      async () => (await holder.get<{ activeRunId: string | null }>("/api/chaos/scenarios")).body.activeRunId === started.id,
      10_000,
      100,
    );
    const second = await startRun(holder, TOKEN, "outage", { durationSeconds: 4 });
    expect(second.status).toBe(409);
    expect(String(second.body.error)).toContain(started.id);
    const finished = await finishedRun(other, started.id);
    // The run is in both replicas' run history and scorecard.
    const runs = await sameOnBoth("run history", async (c) =>
      (await c.get<{ runs: ChaosRun[] }>("/api/chaos/runs")).body.runs.map((r) => `${r.id} ${r.state}`),
    );
    expect(runs[0]).toBe(`${started.id} ${finished.state}`);
    const scorecard = await sameOnBoth("scorecard", async (c) => (await c.get<{ scorecard: ScorecardEntry[] }>("/api/chaos/scenarios")).body.scorecard);
    expect(scorecard.filter((e) => e.runId === started.id).length).toBeGreaterThan(0);
    // And in both replicas' Prometheus gauges: the latest outage run is this one, whichever replica is scraped.
    const gauge = await sameOnBoth("metrics' latest outage run", async (c) =>
      String((await c.get<string>("/api/metrics")).body)
        .split("\n")
        .filter((l) => l.startsWith("rrc_chaos_run_passed{") && l.includes('scenario="outage"')),
    );
    expect(gauge).toEqual([expect.stringMatching(new RegExp(`} ${finished.state === "passed" ? 1 : 0}$`))]);
    // The holder learns of the run through the store (its steps are the running replica's to write).
    await waitFor(
      "the holder to show the run's start",
      async () => (await holder.get<{ events: TimelineEvent[] }>("/api/timeline")).body.events.some((e) => e.kind === "chaos" && e.subject === started.id),
      30_000,
      250,
    );
    const stored = await waitFor(
      "the drill closed in the store",
      async () => {
        const list = (await inStore((s) => s.incidents.load(DEPLOYMENT))).incidents.filter((i: Incident) => (i.closedAt ?? "9") >= since);
        return list.length && list.every((i) => i.state === "closed") ? list : null;
      },
      60_000,
      500,
    );
    expect(stored.map((i) => [i.drill, i.chaosRun])).toEqual([[true, started.id]]);
    expect(titled(await storedEvents(since), "Chaos run outage started")).toHaveLength(1);
    // The drill recorded by the holder is on the replica that ran it too, with its run's verdicts.
    const drill = await waitFor(
      "the drill on the replica that ran it",
      async () => (await other.get<Incidents>("/api/incidents?kind=drill")).body.incidents.find((i) => i.id === stored[0].id),
      10_000,
      250,
    );
    expect(drill.chaosRun).toBe(started.id);
    const page = await other.get<{ drill: { scenario: string } | null }>(`/api/incidents/${stored[0].id}`);
    expect(page.body.drill?.scenario).toBe("outage");
  });

  it("kill -9 of the holder: the other holds within 10 s and records the next event once", async () => {
    const { holder, other } = await holderAndOther();
    const killedAt = Date.now();
    process.kill(holder.pid, "SIGKILL");
    await waitFor("the other replica to hold the lease", async () => (await ready(other)).body.lease?.mine === true, 20_000, 100);
    const tookMs = Date.now() - killedAt;
    console.log(`[replicas] the lease moved ${tookMs} ms after kill -9 of its holder`);
    expect(tookMs).toBeLessThanOrEqual(10_000);

    const since = new Date().toISOString();
    await control(state, "POST", "/nodes/sentinel-2/kill", { ttlSeconds: 60 });
    await waitFor("the kill in the store", async () => titled(await storedEvents(since), "sentinel-2 not answering").length > 0, 30_000, 250);
    // The dead one comes back as a replica that does not hold the lease: the event stays written once.
    const restarted = holder === consoles.a ? "a" : "b";
    await holder.stop();
    await start(restarted);
    await waitReady(consoles[restarted]!);
    expect((await ready(consoles[restarted]!)).body.lease.mine).toBe(false);
    expect(titled(await storedEvents(since), "sentinel-2 not answering")).toHaveLength(1);
    await control(state, "POST", "/reset");
  });

  it("PostgreSQL stopped for 20 s: both keep serving and say so, chaos is refused, and the events of those 20 s are in the store once", async () => {
    await holderAndOther();
    // Both must see what happens: a console still warming up records no change (lib/collector/warm-up.ts),
    // and the one restarted by the test before waits for the sentinel that test killed. Were the holder's
    // fenced writes refused and this one to take the lease, the outage's first change would be nobody's.
    for (const c of both()) await waitFor(`${c.url} past its warm-up`, async () => (await c.snapshot()).warmingUp !== true, 30_000, 250);
    const stoppedAt = Date.now();
    const since = new Date(stoppedAt).toISOString();
    pg.stop();
    for (const c of both()) {
      const r = await waitFor(`${c.url} /api/ready to say the store is down`, async () => ((await ready(c)).status === 503 ? ready(c) : null), 30_000, 250);
      expect(r.body.reason).toMatch(/store unreachable|records are not being saved/);
    }
    // Something happens while the store is down: a sentinel stopped and (its TTL) started again.
    await control(state, "POST", "/nodes/sentinel-3/kill", { ttlSeconds: 6 });
    for (const c of both()) {
      await waitFor(
        `${c.url} to see sentinel-3 stop and come back`,
        async () => {
          const events = (await c.get<{ events: TimelineEvent[] }>("/api/timeline")).body.events.filter((e) => e.at >= since);
          return titled(events, "sentinel-3 answering again").length > 0;
        },
        60_000,
        250,
      );
      const before = await c.snapshot();
      const later = await waitFor(`${c.url} a newer snapshot`, async () => ((await c.snapshot()).seq > before.seq ? c.snapshot() : null));
      expect(later.records).toMatchObject({ saving: false });
      const page = await c.get<string>("/");
      expect(page.status).toBe(200);
      expect(page.body).toContain("records are not being saved");
      const refused = await startRun(c, TOKEN, "outage", { durationSeconds: 3 });
      expect(refused.status).toBe(503);
      expect(String(refused.body.error)).toMatch(/store/);
    }
    // The outage lasts its 20 s whatever the checks above took.
    await waitFor("20 s of outage", async () => Date.now() - stoppedAt >= 20_000, 30_000, 250);
    pg.start();
    await Promise.all(both().map(waitReady));
    await holderAndOther();
    const stored = await waitFor(
      "the outage's events in the store",
      async () => {
        const events = await storedEvents(since);
        return titled(events, "sentinel-3 answering again").length ? events : null;
      },
      30_000,
      500,
    );
    expect(titled(stored, "sentinel-3 not answering")).toHaveLength(1);
    expect(titled(stored, "sentinel-3 answering again")).toHaveLength(1);
  });
});
