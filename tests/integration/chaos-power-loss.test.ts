/**
 * The guide's "appendfsync everysec: 1 s RPO" measured for what it says: a sandbox started with
 * --power-loss-aof runs its Redis nodes under the shim that keeps unsynced AOF writes inside the
 * process, so kill -9 drops what a machine crash would. The loss is then real (> 0) and held
 * against 1 s; such a run says nothing of a process crash, so it has no check for that claim.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { checksOf, num, runScenario } from "./helpers/chaos-runs";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";
import { buildPowerLossShim } from "../../devstack/topology/power-loss-shim";

const TOKEN = "chaos-power-loss-operator-token-0123456789";

describe("data-integrity under the power-loss shim", () => {
  const settings = testSettings(PORTS.chaosPowerLoss, ["--power-loss-aof"]);
  let app: RunningConsole;
  let state: StackState;

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.chaosPowerLoss, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  it("loads the shim into every Redis node and into no sentinel", () => {
    for (const n of state.nodes) {
      const maps = fs.readFileSync(`/proc/${n.pid}/maps`, "utf8");
      expect(maps.includes("power-loss-shim.so"), n.name).toBe(n.kind === "redis");
    }
  });

  it("kill -9 and a restart on the AOF lose only writes not yet fsynced, acknowledged within at most 1 s", async () => {
    const run = await runScenario(app, TOKEN, "data-integrity", { mode: "restart" });
    expect(run.postflight, run.error).toEqual({ healthy: true, problems: [] });
    expect(run.metrics.crash_kind).toMatch(/power loss/);
    const lost = num(run, "lost_writes");
    const windowMs = num(run, "lost_window_ms");
    // The writer acknowledges a write every 20 ms and Redis fsyncs once a second: a kill nearly
    // always lands on unsynced writes, but one right after an fsync loses none (seen once in CI).
    // That the shim drops what was not synced is shown for certain by the case below.
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(lost).toBeLessThan(num(run, "acknowledged"));
    const [rpo] = checksOf(run, "rpo-1s");
    // appendfsync everysec: what a power loss takes was acknowledged within the last second (the guide's RPO).
    expect(windowMs).toBeLessThanOrEqual(1000);
    expect(rpo.verdict).toBe("held");
    expect(rpo.observed).toContain(
      lost ? `${lost} of ${num(run, "acknowledged")} acknowledged writes lost` : `none of ${num(run, "acknowledged")} acknowledged writes lost`,
    );
    expect(run.checks.map((c) => c.claim)).toEqual(["rpo-1s"]);
    expect(run.state).toBe("passed");
  });

  it("the shim itself: with appendfsync no, kill -9 drops every write under the shim and none without it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-power-loss-shim-"));
    const shim = buildPowerLossShim(dir);
    const started: ChildProcess[] = [];
    const start = (port: number, preload: boolean) => {
      const data = path.join(dir, String(port));
      fs.mkdirSync(data, { recursive: true });
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", data, "--save", "", "--appendonly", "yes", "--appendfsync", "no"];
      const p = spawn("redis-server", args, { stdio: "ignore", env: preload ? { ...process.env, LD_PRELOAD: shim } : process.env });
      started.push(p);
      return p;
    };
    const cli = (port: number, ...args: string[]) => execFileSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8", timeout: 5000 }).trim();
    const answering = (port: number) =>
      waitFor(
        `redis-server on ${port}`,
        () => {
          try {
            return cli(port, "PING") === "PONG";
          } catch {
            return false;
          }
        },
        20_000,
      );
    const killed = (p: ChildProcess) =>
      new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : (p.once("exit", () => resolve()), p.kill("SIGKILL"))));
    try {
      const keysAfterKill = async (port: number, preload: boolean) => {
        const first = start(port, preload);
        await answering(port);
        for (let i = 0; i < 50; i++) cli(port, "SET", `k${i}`, "v");
        expect(cli(port, "DBSIZE")).toBe("50");
        await killed(first);
        start(port, preload);
        await answering(port);
        return Number(cli(port, "DBSIZE"));
      };
      // Redis write()s each command to the AOF before it replies: the kernel keeps it through a kill -9.
      expect(await keysAfterKill(PORTS.powerLossShim, false)).toBe(50);
      // Under the shim those writes wait in the process for an fsync that appendfsync no never asks for.
      expect(await keysAfterKill(PORTS.powerLossShim + 1, true)).toBe(0);
    } finally {
      for (const p of started) await killed(p);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
