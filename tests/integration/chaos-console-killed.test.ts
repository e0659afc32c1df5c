/**
 * The sandbox's guarantee when the console dies mid-run (issue 18): every fault a run injects
 * carries a TTL of the run's own window plus a margin, so a console killed with kill -9 during an
 * outage leaves the sandbox broken no longer than that, with nobody restarting anything. Measured
 * from the injection to both nodes answering again, through the control API alone.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun } from "../../lib/chaos/types";
import type { StackState } from "../../devstack/state";
import { ControlClient } from "../../lib/contract/control-client";
import { startRun } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "integration-operator-token-console-killed-0123456789";
/** The outage scenario's window: up to 20 s for the layers to react, then the hold. */
const REACT_BOUND_S = 20;
const HOLD_S = 5;
const MARGIN_S = 10;

/**
 * When a process started, from /proc (its start in clock ticks since boot): the moment a node came back, whatever
 * the delay of the control API call that first saw it on a loaded machine.
 */
function processStartedAt(pid: number): number {
  const bootS = Number(/^btime (\d+)$/m.exec(fs.readFileSync("/proc/stat", "utf8"))![1]);
  // Field 22 (starttime), counted after the command name, which may hold spaces but ends with the last ")".
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  return bootS * 1000 + (ticks * 1000) / 100;
}

describe("a console killed -9 mid-run on the sandbox", () => {
  const settings = testSettings(PORTS.chaosConsoleKilled);
  let state: StackState;
  let app: RunningConsole;

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.chaosConsoleKilled, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app?.stop().catch(() => {});
    await stopStack(settings);
  });

  it("leaves both Redis nodes down no longer than the run's window plus 10 s, with no restart; the next console marks the run aborted", async () => {
    const control = ControlClient.forState(state);
    await waitFor("a healthy sandbox", async () => (await control.status()).nodes.every((n) => n.pid !== null), 30_000);
    const started = await startRun(app, TOKEN, "outage", { mode: "kill", durationSeconds: HOLD_S });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const injected = await waitFor(
      "the outage injected",
      async () => {
        const run = (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body;
        const step = run.steps.find((s) => s.name === "inject the outage");
        return step?.state === "done" ? Date.parse(step.endedAt!) : null;
      },
      30_000,
      100,
    );
    expect((await control.status()).nodes.some((n) => n.pid === null)).toBe(true);
    process.kill(app.pid, "SIGKILL");
    const killedAt = Date.now();
    const restarted = await waitFor(
      "both nodes running again, by their faults' TTL",
      async () => {
        const nodes = (await control.status()).nodes;
        return nodes.every((n) => n.pid !== null) ? nodes : null;
      },
      (REACT_BOUND_S + HOLD_S + MARGIN_S + 15) * 1000,
      200,
    );
    const back = Math.max(...restarted.map((n) => processStartedAt(n.pid!)));
    const brokenS = (back - injected) / 1000;
    console.log(
      `[measured] console killed ${((killedAt - injected) / 1000).toFixed(1)} s after the injection: the sandbox broken ${brokenS.toFixed(1)} s in all (bound ${REACT_BOUND_S + HOLD_S + MARGIN_S} s)`,
    );
    expect(brokenS).toBeLessThanOrEqual(REACT_BOUND_S + HOLD_S + MARGIN_S + 1);
    expect((await control.faults()).faults).toEqual([]);

    app = await startConsole({
      port: CONSOLE_PORTS.chaosConsoleKilled,
      devstackDir: settings.dir,
      env: { OPERATOR_TOKEN: TOKEN, CONSOLE_DATA_DIR: app.dataDir },
    });
    const run = (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body;
    expect(run.state).toBe("aborted");
  });
});
