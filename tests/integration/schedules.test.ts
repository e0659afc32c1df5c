/**
 * Scheduled game days (issue 29) on the sandbox, with two consoles on one PostgreSQL: a schedule
 * fires exactly once per slot, also when the console holding the scheduler's lease is killed
 * between two slots; a slot that passed while no console ran is recorded as missed, not run late;
 * bad schedules get a 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { SchedulesAnswer, ScheduleView } from "../../lib/verification/schedules-view";
import { finishedRun } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "schedules-operator-token-0123456789abcdef";
const auth = { authorization: `Bearer ${TOKEN}` };

async function send(c: RunningConsole, method: string, route: string, body?: unknown) {
  const res = await fetch(c.url + route, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const schedulesOf = async (c: RunningConsole) => (await c.get<SchedulesAnswer>("/api/schedules")).body;
const scheduleOn = async (c: RunningConsole, id: string) => (await schedulesOf(c)).schedules.find((s) => s.id === id);

describe("scheduled game days on two consoles", () => {
  const settings = testSettings(PORTS.schedules);
  let state: StackState;
  let pg: TestPostgres;
  const consoles: RunningConsole[] = [];
  const start = async (port: number) => {
    const c = await startConsole({ port, devstackDir: settings.dir, env: { DATABASE_URL: pg.url, OPERATOR_TOKEN: TOKEN } });
    consoles.push(c);
    return c;
  };

  beforeAll(async () => {
    state = await startStack(settings);
    pg = startPostgres(PORTS.schedules + 15, "schedules");
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    for (const c of consoles) await c.stop();
    pg?.destroy();
    await stopStack(settings);
  });

  it("answers a bad schedule with a 400 naming the field, and an unknown one with 404", async () => {
    const a = await start(CONSOLE_PORTS.schedulesA);
    const badCron = await send(a, "POST", "/api/schedules", { name: "x", scenario: "latency", cron: "every day" });
    expect(badCron.status).toBe(400);
    expect(badCron.body.error).toMatch(/cron: cron "every day" is not a cron expression/);
    const badZone = await send(a, "POST", "/api/schedules", { name: "x", scenario: "latency", cron: "0 10 * * *", timeZone: "Mars/Olympus" });
    expect(badZone.body.error).toMatch(/not an IANA time zone/);
    const badScenario = await send(a, "POST", "/api/schedules", { name: "x", scenario: "meteor", cron: "0 10 * * *" });
    expect([badScenario.status, badScenario.body.error]).toEqual([400, expect.stringMatching(/unknown scenario "meteor"/)]);
    const anonymous = await fetch(`${a.url}/api/schedules`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    expect((await send(a, "PATCH", "/api/schedules/sch-nope", { enabled: false })).status).toBe(404);
    expect((await send(a, "DELETE", "/api/schedules/sch-nope")).status).toBe(404);
  });

  it("fires once per slot over three slots, also when the lease holder is killed between two", async () => {
    const a = consoles[0];
    const b = await start(CONSOLE_PORTS.schedulesB);
    const created = await send(a, "POST", "/api/schedules", {
      name: "every half minute",
      scenario: "latency",
      params: { ms: 50, durationSeconds: 3 },
      cron: "*/30 * * * * *",
      graceSeconds: 20,
    });
    expect(created.status).toBe(201);
    const schedule = created.body as unknown as ScheduleView;
    expect(schedule.nextSlots).toHaveLength(5);
    // Both consoles read the one store.
    expect((await scheduleOn(b, schedule.id))?.name).toBe("every half minute");

    const startedSlots = async (n: number) =>
      waitFor(
        `${n} started slot(s)`,
        async () => {
          const s = await scheduleOn(b, schedule.id);
          const decided = s?.recentSlots.filter((x) => x.outcome !== "starting") ?? [];
          return decided.length >= n ? decided : null;
        },
        150_000,
        500,
      );

    const [first] = await startedSlots(1);
    expect(first).toMatchObject({ outcome: "started", reason: null });
    // The first run ends on the console that started it; then that console is killed between two slots.
    const holder = (await schedulesOf(a)).firingReplica ?? "";
    const firing = consoles.find((c) => holder.includes(`:${c.pid}:`))!;
    expect(firing).toBeDefined();
    const run = await finishedRun(firing, first.runId!);
    expect(run.origin).toBe("schedule");
    process.kill(firing.pid, "SIGKILL");
    const survivor = firing === a ? b : a;

    const slots = await waitFor(
      "three decided slots",
      async () => {
        const s = await scheduleOn(survivor, schedule.id);
        const decided = s?.recentSlots.filter((x) => x.outcome !== "starting") ?? [];
        return decided.length >= 3 ? decided : null;
      },
      150_000,
      500,
    );
    const three = slots.slice(0, 3).reverse();
    // Consecutive slots, each once, each a run of its own: nothing missed, nothing doubled.
    expect(three.map((s) => s.outcome)).toEqual(["started", "started", "started"]);
    expect(new Set(three.map((s) => s.runId)).size).toBe(3);
    const times = three.map((s) => Date.parse(s.slot));
    expect([times[1] - times[0], times[2] - times[1]]).toEqual([30_000, 30_000]);
    expect((await schedulesOf(survivor)).firingReplica).toContain(`:${survivor.pid}:`);
    const metric = await waitFor("the last run's metric", async () => {
      const m = /^rrc_schedule_last_run_timestamp_seconds\{schedule="every half minute"\} (\d+)$/m.exec((await survivor.get<string>("/api/metrics")).body);
      return m && Number(m[1]) * 1000 >= times[2] ? m : null;
    });
    expect(metric).toBeTruthy();
    await send(survivor, "DELETE", `/api/schedules/${schedule.id}`);
    // The audit trail (issue 29, 7): who made and removed the schedule, and each scheduled run with the schedule as its actor.
    const trail = (await survivor.get<{ entries: { action: string; actor: string; target: string }[] }>("/api/audit?limit=500", auth)).body.entries;
    const about = trail.filter((e) => e.target?.startsWith(schedule.id) || three.some((s) => e.target?.startsWith(`${s.runId} `)));
    expect(about.find((e) => e.action === "schedule.created")?.actor).toBe("OPERATOR_TOKEN");
    expect(about.find((e) => e.action === "schedule.deleted")?.actor).toBe("OPERATOR_TOKEN");
    const scheduledStarts = about.filter((e) => e.action === "run.started");
    expect(scheduledStarts).toHaveLength(3);
    for (const e of scheduledStarts) expect(e.actor).toBe("schedule:every half minute (created by OPERATOR_TOKEN)");
    await finishedRun(survivor, three[2].runId!);
    // Three half-minute slots are 60-90 s of the test's own making (the first slot may be 30 s
    // away), plus a second console's start and the last run: past the suite's 120 s at times.
  }, 200_000);

  it("records a slot that passed while no console ran as missed, and does not run it late", async () => {
    const alive = consoles.filter((c) => {
      try {
        process.kill(c.pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    const c = alive[0];
    const created = await send(c, "POST", "/api/schedules", {
      name: "while away",
      scenario: "latency",
      params: { durationSeconds: 3 },
      cron: "*/20 * * * * *",
      graceSeconds: 2,
    });
    const schedule = created.body as unknown as ScheduleView;
    const slot = Date.parse(schedule.nextSlots[0]);
    for (const x of alive) await x.stop();
    // No console runs while the slot and its grace pass.
    await waitFor("the slot and its grace to pass", () => Date.now() > slot + 4000, 40_000, 200);
    const back = await start(CONSOLE_PORTS.schedulesA);
    const missed = await waitFor(
      "the slot recorded",
      async () => (await scheduleOn(back, schedule.id))?.recentSlots.find((s) => Date.parse(s.slot) === slot),
      30_000,
      500,
    );
    expect(missed).toMatchObject({ outcome: "missed", runId: null });
    expect(missed.reason).toMatch(/past its 2 s grace/);
    await send(back, "DELETE", `/api/schedules/${schedule.id}`);
  });
});
