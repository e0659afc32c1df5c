/**
 * Two consoles on one PostgreSQL watching one sandbox: the live records are the same on both.
 * Only the lease holder writes what is observed, yet the replica that does not hold the lease
 * shows the holder's open incident on its Fleet answer and pushes the holder's timeline events
 * on its stream (it follows the store), each once; across a lease handover (kill -9 of the
 * holder) the stream that stays pushes every event the store gets, once; with PostgreSQL stopped
 * the streams keep serving snapshots that say records are not being saved, and a change both
 * replicas saw meanwhile is pushed once on each stream, not again when the holder writes it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { FleetPayload } from "../../lib/fleet/fleet-row";
import type { Readiness } from "../../lib/store/readiness";
import { openStore } from "../../lib/store/store";
import type { TimelineEvent } from "../../lib/timeline/types";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";
import { TimelineRecorder } from "./helpers/timeline-recorder";

const DEPLOYMENT = "sandbox";
type Ready = Readiness & { status: string; reason: string | null };

describe("every replica shows the same live records", () => {
  const settings = testSettings(PORTS.replicasLive);
  let state: StackState;
  let pg: TestPostgres;
  const consoles: Record<"a" | "b", RunningConsole | null> = { a: null, b: null };
  const recorders: TimelineRecorder[] = [];
  const start = async (which: "a" | "b") =>
    (consoles[which] = await startConsole({
      port: which === "a" ? CONSOLE_PORTS.replicasLiveA : CONSOLE_PORTS.replicasLiveB,
      devstackDir: settings.dir,
      env: { DATABASE_URL: pg.url, OPERATOR_TOKEN: "replicas-live-operator-token-0123456789", INCIDENTS_SETTLE_MS: "3000" },
    }));
  const both = () => [consoles.a!, consoles.b!];
  const ready = async (c: RunningConsole) => c.get<Ready>("/api/ready");
  const waitReady = (c: RunningConsole) => waitFor(`${c.url} ready`, async () => (await ready(c)).status === 200, 60_000, 250);
  const holderAndOther = () =>
    waitFor(
      "one holder both agree on",
      async () => {
        const [ra, rb] = await Promise.all(both().map(ready));
        if (ra.body.lease?.holder == null || ra.body.lease.holder !== rb.body.lease?.holder || ra.body.lease.mine === rb.body.lease.mine) return null;
        return ra.body.lease.mine ? { holder: consoles.a!, other: consoles.b! } : { holder: consoles.b!, other: consoles.a! };
      },
      30_000,
      250,
    );
  const storedEvents = async (since: string): Promise<TimelineEvent[]> => {
    const store = await openStore({ dataDir: null, databaseUrl: pg.url });
    try {
      return await store.timeline.listSince(DEPLOYMENT, since);
    } finally {
      await store.close();
    }
  };
  const fleetRow = async (c: RunningConsole) => {
    const fleet = (await c.get<FleetPayload>("/api/fleet")).body;
    return { source: fleet.source, row: fleet.rows.find((r) => r.name === DEPLOYMENT)! };
  };
  const warmedUp = async (c: RunningConsole) =>
    waitFor(
      `${c.url} warmed up, every layer ok`,
      async () => {
        const s = await c.snapshot();
        return s.warmingUp !== true && s.layers.every((l) => l.status === "ok");
      },
      30_000,
      250,
    );
  const openStream = async (c: RunningConsole) => {
    const r = await TimelineRecorder.open(c.url);
    recorders.push(r);
    return r;
  };
  /**
   * A time after which every stored event must be on `streams`: an event carries the start of
   * the look that saw it, so one written before a stream opened is older than this. The action
   * comes two pushed snapshots later, so the look that sees it starts after this too.
   */
  const streamsOpenSince = async (...streams: TimelineRecorder[]) => {
    const since = new Date().toISOString();
    const counts = streams.map((r) => r.snapshots);
    await waitFor("two more snapshots on each stream", () => streams.every((r, i) => r.check().snapshots >= counts[i] + 2));
    return since;
  };
  /** The stream pushed every event the store has since `since`, each once, and nothing the store does not have. */
  const pushesStoreOnce = async (stream: TimelineRecorder, since: string, title: string) => {
    const stored = await waitFor(
      `the stream to push every stored event since ${since}, "${title}" among them`,
      async () => {
        const events = await storedEvents(since);
        const pushed = stream.check().counts();
        return events.some((e) => e.title === title) && events.every((e) => pushed.has(e.id)) ? events : null;
      },
      30_000,
      250,
    );
    const pushedSince = stream.events.filter((e) => e.at >= since);
    expect(pushedSince.map((e) => `${e.id} ${e.title}`).sort()).toEqual(stored.map((e) => `${e.id} ${e.title}`).sort());
    expect([...stream.counts().values()].filter((n) => n > 1)).toEqual([]);
    return stored;
  };

  beforeAll(async () => {
    state = await startStack(settings);
    pg = startPostgres(PORTS.replicasLive + 15, "replicas-live");
    await Promise.all([start("a"), start("b")]);
    await Promise.all(both().map(waitReady));
  });
  afterAll(async () => {
    for (const r of recorders) r.close();
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await Promise.all([consoles.a?.stop(), consoles.b?.stop()]);
    pg?.destroy();
    await stopStack(settings);
  });

  it("the replica not holding the lease shows the holder's open incident on its fleet and pushes its events on its stream", async () => {
    const { holder, other } = await holderAndOther();
    for (const c of both()) await warmedUp(c);
    const streams = { holder: await openStream(holder), other: await openStream(other) };
    const cutAt = await streamsOpenSince(streams.holder, streams.other);
    await control(state, "POST", "/proxy/cut", { ttlSeconds: 60 });
    const openId = await waitFor(
      "the holder's open incident",
      async () => (await holder.get<{ open: string | null; source: string }>("/api/incidents")).body.open,
      30_000,
      250,
    );
    // The other replica's fleet row carries that incident, read from the store, as the holder's does.
    const onOther = await waitFor("the other replica's fleet row to show it", async () => {
      const f = await fleetRow(other);
      return f.row.incident?.id === openId ? f : null;
    });
    expect(onOther.source).toBe("store");
    expect(onOther.row.incident).toMatchObject({ id: openId, drill: false });
    expect((await fleetRow(holder)).row.incident?.id).toBe(openId);
    // The other replica's stream pushed the holder's event under the store's id.
    const cut = await waitFor("the cut in the store", async () => (await storedEvents(cutAt)).find((e) => e.title === "L3 unavailable (was ok)"));
    await waitFor("the other replica's stream to push it", () => streams.other.check().events.some((e) => e.id === cut.id));

    await control(state, "DELETE", "/proxy/faults");
    for (const c of both()) await waitFor(`${c.url}'s fleet row to show no open incident`, async () => (await fleetRow(c)).row.incident === null, 60_000, 250);
    // Every event of the outage and its recovery, on both streams, each once, nothing else.
    const stored = await pushesStoreOnce(streams.other, cutAt, "Redis reachable for the layers again");
    await pushesStoreOnce(streams.holder, cutAt, "Redis reachable for the layers again");
    expect(stored.filter((e) => e.title === "L3 unavailable (was ok)")).toHaveLength(1);
  });

  it("across a handover (kill -9 of the holder) the replica that stays pushes every event the store gets, once", async () => {
    const { holder, other } = await holderAndOther();
    const stream = await openStream(other);
    const since = await streamsOpenSince(stream);
    process.kill(holder.pid, "SIGKILL");
    // Seen by the replica that stays before it holds the lease (its TTL is 6 s): its handover writes it.
    await control(state, "POST", "/nodes/sentinel-2/kill", { ttlSeconds: 60 });
    await waitFor("the other replica to hold the lease", async () => (await ready(other)).body.lease?.mine === true, 20_000, 100);
    const heldSince = await waitFor("the snapshot to say since when", async () => (await other.snapshot()).records?.lease?.heldSince);
    const stored = await pushesStoreOnce(stream, since, "sentinel-2 not answering");
    const down = stored.find((e) => e.title === "sentinel-2 not answering")!;
    console.log(
      `[replicas-live] sentinel-2's stop was seen at ${down.at}, the lease taken at ${heldSince}: ${down.at < heldSince ? "pushed from the handover's write" : "pushed as the holder's own"}`,
    );
    await control(state, "POST", "/reset");
    await pushesStoreOnce(stream, since, "sentinel-2 answering again");
  });

  it("PostgreSQL stopped: the streams keep pushing snapshots that say records are not being saved, the fleet answers from memory, and a change seen meanwhile is pushed once on each stream", async () => {
    // The replica killed above comes back, so both streams are watched through the outage.
    const killed = (await ready(consoles.a!).catch(() => null))?.status === 200 ? "b" : "a";
    await consoles[killed]!.stop();
    await start(killed);
    await waitReady(consoles[killed]!);
    await holderAndOther();
    for (const c of both()) await warmedUp(c);
    const streams = await Promise.all(both().map(openStream));
    const since = await streamsOpenSince(...streams);
    pg.stop();
    try {
      for (const [i, c] of both().entries()) {
        const seen = await waitFor(
          `${c.url}'s stream to say records are not being saved`,
          () => streams[i].check().latest?.records?.saving === false && streams[i].snapshots,
        );
        await waitFor("snapshots still pushed", () => streams[i].check().snapshots > seen + 2);
        expect(streams[i].latest!.records!.problem).toBeTruthy();
        const fleet = await c.get<FleetPayload>("/api/fleet");
        expect(fleet.status).toBe(200);
        expect(fleet.body.source).toBe("memory");
      }
      // Each replica pushes its own sighting while the store takes no records.
      await control(state, "POST", "/nodes/sentinel-3/kill", { ttlSeconds: 6 });
      for (const r of streams)
        await waitFor("a stream to push sentinel-3's return", () => r.check().events.some((e) => e.title === "sentinel-3 answering again"), 60_000, 250);
    } finally {
      pg.start();
    }
    await Promise.all(both().map(waitReady));
    for (const c of both()) await waitFor(`${c.url}'s fleet read from the store again`, async () => (await fleetRow(c)).source === "store", 30_000, 250);
    const stored = await waitFor(
      "the outage's events in the store",
      async () => {
        const events = await storedEvents(since);
        return events.some((e) => e.title === "sentinel-3 answering again") ? events : null;
      },
      30_000,
      500,
    );
    expect(stored.filter((e) => e.title === "sentinel-3 not answering")).toHaveLength(1);
    // A change written after those, followed on both streams: each stream has read past the outage's writes by then.
    await control(state, "POST", "/nodes/sentinel-1/kill", { ttlSeconds: 60 });
    const marker = await waitFor("the marker in the store", async () => (await storedEvents(since)).find((e) => e.title === "sentinel-1 not answering"));
    for (const r of streams) await waitFor("a stream to push the marker", () => r.check().events.some((e) => e.id === marker.id));
    await control(state, "POST", "/reset");
    // The holder's version of what a replica pushed its own sighting of is not pushed again under another id.
    for (const r of streams) {
      const titles = r.events.filter((e) => e.at >= since).map((e) => e.title);
      expect(titles.filter((t) => t === "sentinel-3 not answering")).toHaveLength(1);
      expect(titles.filter((t) => t === "sentinel-3 answering again")).toHaveLength(1);
    }
  });
});
