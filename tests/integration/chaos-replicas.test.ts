/**
 * Two consoles on one PostgreSQL and one sandbox (issue 26, part 4, the run's half): a run started
 * on A is seen from B and stopped by an abort sent to B, through the store; when A dies (kill -9)
 * mid-run, B takes the run over within 15 s: the sandbox restored, the run aborted with "the
 * replica running it stopped", and B's timeline says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun } from "../../lib/chaos/types";
import type { StackState } from "../../devstack/state";
import { ControlClient } from "../../lib/contract/control-client";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "chaos-replicas-operator-token-0123456789abcdef";

describe("a sandbox chaos run across two replicas on one PostgreSQL", () => {
  const settings = testSettings(PORTS.chaosReplicas);
  let state: StackState;
  let pg: TestPostgres;
  let a: RunningConsole;
  let b: RunningConsole;
  const env = () => ({ DATABASE_URL: pg.url, OPERATOR_TOKEN: TOKEN });
  const runOn = (c: RunningConsole, id: string) => c.get<ChaosRun>(`/api/chaos/runs/${id}`);
  /** Waits until the run, as `c` reads it, is in the step named `step` (running). */
  const inStep = (c: RunningConsole, id: string, step: string) =>
    waitFor(`run ${id} in "${step}"`, async () => (await runOn(c, id)).body.steps?.find((s) => s.name === step)?.state === "running", 60_000, 100);

  beforeAll(async () => {
    state = await startStack(settings);
    pg = startPostgres(PORTS.chaosReplicas + 15, "chaos-replicas");
    a = await startConsole({ port: CONSOLE_PORTS.chaosReplicasA, devstackDir: settings.dir, env: env() });
    b = await startConsole({ port: CONSOLE_PORTS.chaosReplicasB, devstackDir: settings.dir, env: env() });
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await a?.stop().catch(() => {});
    await b?.stop();
    pg?.destroy();
    await stopStack(settings);
  });

  it("a run started on A is seen from B, and an abort sent to B stops it on A", async () => {
    const started = await startRun(a, TOKEN, "outage", { mode: "network", durationSeconds: 60 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await inStep(a, started.id, "hold the outage");
    const seen = await waitFor("B to read A's run", async () => ((await runOn(b, started.id)).status === 200 ? runOn(b, started.id) : null), 10_000, 200);
    expect(seen.body).toMatchObject({ id: started.id, state: "running" });
    const abortAt = Date.now();
    const abort = await fetch(`${b.url}/api/chaos/runs/${started.id}/abort`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(abort.status).toBe(202);
    const run = await finishedRun(a, started.id);
    expect(run.state).toBe("aborted");
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    // The 60 s hold was cut short by B's abort: the restore began after it, long before the hold's end.
    const hold = run.steps.find((s) => s.name === "hold the outage")!;
    const restore = run.steps.find((s) => s.name === "restore the stack")!;
    expect(restore.state).toBe("done");
    expect(Date.parse(restore.startedAt!)).toBeGreaterThanOrEqual(abortAt - 1000);
    expect(Date.parse(restore.startedAt!)).toBeLessThan(Date.parse(hold.startedAt!) + 60_000);
    // A final run cannot be aborted again, from either replica.
    await waitFor("B to read it aborted", async () => (await runOn(b, started.id)).body.state === "aborted", 10_000, 200);
    expect((await fetch(`${b.url}/api/chaos/runs/${started.id}/abort`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(409);
  });

  it("kill -9 of A mid-run: B restores the sandbox within 15 s, the run reads aborted, and B's timeline says why", async () => {
    const started = await startRun(a, TOKEN, "outage", { mode: "network", durationSeconds: 30 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await inStep(a, started.id, "hold the outage");
    const faults = ControlClient.forState(state);
    expect((await faults.faults()).faults.length).toBeGreaterThan(0);
    process.kill(a.pid, "SIGKILL");
    const killedAt = Date.now();
    // The proxy cut's TTL is the run's window plus 30 s: a sandbox whole again before that is B's doing.
    const restored = await waitFor(
      "B to take the run over and restore the sandbox",
      async () => {
        const run = (await runOn(b, started.id)).body;
        return run.state === "aborted" && (await faults.faults()).faults.length === 0 ? run : null;
      },
      30_000,
      200,
    );
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`[measured] kill -9 of the replica running the run: restored by the other ${seconds.toFixed(1)} s after (bound 15 s)`);
    expect(seconds).toBeLessThanOrEqual(15);
    expect(restored.error).toBe("the replica running it stopped");
    expect(restored.endedAt).not.toBeNull();
    await waitFor("the layers ok again", async () => (await b.snapshot()).layers.every((l) => l.status === "ok"), 30_000, 250);
    const titles = (await b.get<{ events: { title: string; subject?: string }[] }>("/api/timeline")).body.events
      .filter((e) => e.subject === started.id)
      .map((e) => e.title);
    expect(titles).toContain("Chaos run outage: the replica running it stopped; this replica restores the stack");
    expect(titles).toContain("Chaos run outage aborted: the replica running it stopped");
  });
});
