/**
 * PostgreSQL stopped under a running console: it keeps watching and serving from memory, says
 * "records are not being saved" (pages, snapshot, /api/ready 503), refuses chaos (503 naming the
 * store), and once PostgreSQL is back writes what it held: the timeline events of the outage are
 * in the store after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { openStore } from "../../lib/store/store";
import type { TimelineEvent } from "../../lib/timeline/types";
import { startRun } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "store-outage-operator-token-0123456789abcdef";
type Ready = { status: string; reason: string | null; store: { engine: string | null; answering: boolean; pending: number; dropped: number } };

describe("PostgreSQL stopped under a running console", () => {
  const settings = testSettings(PORTS.storeOutage);
  let state: StackState;
  let pg: TestPostgres;
  let app: RunningConsole;
  const ready = () => app.get<Ready>("/api/ready");

  beforeAll(async () => {
    state = await startStack(settings);
    pg = startPostgres(PORTS.storeOutage + 15, "store-outage");
    app = await startConsole({ port: CONSOLE_PORTS.storeOutage, devstackDir: settings.dir, env: { DATABASE_URL: pg.url, OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await app?.stop();
    pg?.destroy();
    await stopStack(settings);
  });

  it("is ready once the store answers and the collector has looked", async () => {
    const r = await waitFor("ready", async () => ((await ready()).status === 200 ? ready() : null), 60_000, 250);
    expect(r.body).toMatchObject({ status: "ready", reason: null, store: { engine: "postgres", answering: true } });
    expect((await app.get("/api/health")).status).toBe(200);
  });

  it("keeps serving while PostgreSQL is down, says so, refuses chaos, and writes the held events when it is back", async () => {
    const stoppedAt = new Date().toISOString();
    pg.stop();
    const notReady = await waitFor("/api/ready to say the store is down", async () => ((await ready()).status === 503 ? ready() : null), 30_000, 250);
    expect(notReady.body.reason).toMatch(/store unreachable|records are not being saved/);
    expect((await app.get("/api/health")).status).toBe(200);

    // Something to record while the store is down: a sentinel killed (the sandbox's TTL undoes it too).
    await control(state, "POST", "/nodes/sentinel-2/kill", { ttlSeconds: 120 });
    const during = await waitFor(
      "the kill on the timeline",
      async () => {
        const events = (await app.get<{ events: TimelineEvent[] }>("/api/timeline")).body.events;
        const found = events.filter((e) => e.at >= stoppedAt && /sentinel-2/.test(e.title));
        return found.length ? found : null;
      },
      30_000,
      250,
    );
    expect(during.length).toBeGreaterThan(0);

    // Pages and snapshots keep coming from memory, and say records are not being saved.
    const before = await app.snapshot();
    const later = await waitFor("a newer snapshot", async () => {
      const s = await app.snapshot();
      return s.seq > before.seq ? s : null;
    });
    expect(later.records).toMatchObject({ saving: false });
    expect(later.records?.problem).toBeTruthy();
    const page = await app.get<string>("/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("records are not being saved");

    const refused = await startRun(app, TOKEN, "outage", { durationSeconds: 3 });
    expect(refused.status).toBe(503);
    expect(String(refused.body.error)).toMatch(/chaos runs are refused while the store takes no records/);

    pg.start();
    // Ready again as soon as the store answers; the held saves (and the lease's handover) are written just after.
    const back = await waitFor(
      "/api/ready 200 again, nothing held",
      async () => {
        const r = await ready();
        return r.status === 200 && r.body.store.pending === 0 ? r : null;
      },
      30_000,
      250,
    );
    expect(back.body.store).toMatchObject({ answering: true, pending: 0, dropped: 0 });
    const saving = await waitFor("the snapshot to say records are saved again", async () => ((await app.snapshot()).records?.saving ? app.snapshot() : null));
    expect(saving.records).toMatchObject({ saving: true, problem: null, dropped: 0 });

    const store = await openStore({ dataDir: null, databaseUrl: pg.url });
    try {
      const stored = await store.timeline.list("sandbox");
      for (const e of during) expect(stored.find((s) => s.id === e.id)).toEqual(e);
    } finally {
      await store.close();
    }
    await control(state, "POST", "/reset");
  });
});
