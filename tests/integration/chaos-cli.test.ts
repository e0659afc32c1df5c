/**
 * scripts/chaos-redis.sh end to end: it starts (and stops) a sandbox when none runs, runs through
 * the console's API when one watches the sandbox, exits 0/1/2 by the verdicts, restores the stack
 * on Ctrl-C, and refuses an unhealthy stack with exit 2 and the reason.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runToMarkdown } from "../../lib/chaos/report";
import type { ChaosRun } from "../../lib/chaos/types";
import { readState, type StackState } from "../../devstack/state";
import { finishedRun } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const repoRoot = path.resolve(__dirname, "../..");
const TOKEN = "chaos-cli-operator-token-0123456789abcdef";
const settings = testSettings(PORTS.chaosCli);
const consoleUrl = `http://127.0.0.1:${CONSOLE_PORTS.chaosCli}`;

interface CliResult {
  code: number | null;
  output: string;
}

/** Runs the script like a user would; `during` may act on it (e.g. send SIGINT) while it runs. */
function runCli(args: string[], env: Record<string, string>, during?: (child: ChildProcess, output: () => string) => Promise<void>): Promise<CliResult> {
  // The caller's own console and sandbox settings must not leak into the script's choices.
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(childEnv)) if (/^(OPERATOR_TOKEN|CHAOS_CONSOLE_URL|PORT|DEVSTACK_.*)$/.test(k)) delete childEnv[k];
  Object.assign(childEnv, {
    DEVSTACK_DIR: settings.dir,
    DEVSTACK_BASE_PORT: String(PORTS.chaosCli),
    DEVSTACK_DOWN_AFTER_MILLISECONDS: "2000",
    CHAOS_CONSOLE_URL: consoleUrl,
    ...env,
  });
  const child = spawn("bash", [path.join(repoRoot, "scripts/chaos-redis.sh"), ...args], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<CliResult>((resolve) => child.on("close", (code) => resolve({ code, output })));
  const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
  return (async () => {
    if (during) await during(child, () => output);
    const result = await exited;
    clearTimeout(timer);
    return result;
  })();
}

function reportsIn(dir: string): ChaosRun[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^chaos-.*\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as ChaosRun);
}

const outDirs: string[] = [];
const outDir = () => outDirs[outDirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "chaos-cli-out-"))) - 1];

describe("scripts/chaos-redis.sh", () => {
  let app: RunningConsole | null = null;
  let state: StackState;

  beforeAll(async () => {
    await stopStack(settings);
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
    for (const d of outDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("with no sandbox, starts one, runs a quick scenario in-process, writes the console's report format, exits by the verdict and stops the sandbox", async () => {
    const out = outDir();
    const secrets: string[] = [];
    const result = await runCli(["outage", "--param", "durationSeconds=3", "--param", "mode=network", "--out", out], {}, async () => {
      const s = await waitFor("the sandbox the CLI starts", () => readState(settings.dir), 120_000, 200);
      secrets.push(s.password, s.controlToken);
    });
    expect(result.output).toContain("no sandbox running");
    expect(result.output).toContain("runs happen in this process");
    expect(result.output).toMatch(/✓ inject the outage \([\d.]+ s\): proxy cut/);
    expect(result.output).toMatch(/scenario +\| claim +\| expected +\| observed +\| verdict/);
    expect(result.output).toContain("stopping the sandbox this suite started");
    expect(result.output).toMatch(/^ {2}outage-contract +(held|refuted|not exercised) (just now|\d+ s ago)$/m);
    const [run] = reportsIn(out);
    expect(run).toMatchObject({ scenario: "outage", origin: "cli", params: { mode: "network", durationSeconds: 3 } });
    expect(run.postflight?.healthy).toBe(true);
    // Exit 0 only when every check held.
    expect(result.code).toBe(run.checks.length > 0 && run.checks.every((c) => c.verdict === "held") ? 0 : 1);
    expect(fs.readFileSync(path.join(out, `chaos-${run.id}.md`), "utf8")).toBe(runToMarkdown(run));
    const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
    expect(summary.exitCode).toBe(result.code);
    expect(summary.rows.length).toBe(run.checks.length);
    for (const secret of secrets) {
      expect(result.output).not.toContain(secret);
      for (const f of fs.readdirSync(out)) expect(fs.readFileSync(path.join(out, f), "utf8")).not.toContain(secret);
    }
    expect(readState(settings.dir)).toBeNull();
  });

  it("with the console up on the sandbox, runs through its API (origin cli, in its history and timeline) and leaves the sandbox running", async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.chaosCli, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
    const out = outDir();
    const result = await runCli(["data-integrity", "--out", out], { OPERATOR_TOKEN: TOKEN });
    expect(result.output).toContain(`runs happen in the console at ${consoleUrl}`);
    const [run] = reportsIn(out);
    // A plain sandbox cannot exercise the 1 s RPO (a machine crash): that check is not exercised, so the suite exits 1 and says so.
    expect(run.checks.find((c) => c.claim === "rpo-1s")).toMatchObject({ verdict: "not-exercised" });
    expect(result.output).toMatch(/rpo-1s +\| .*\| not exercised/);
    expect(result.output).toContain("1 not exercised");
    // Each claim's age after the suite (issue 29): the ones this run judged are fresh.
    expect(result.output).toMatch(/^ {2}crash-no-loss +held (just now|\d+ s ago)$/m);
    expect(result.output).toMatch(/^ {2}rpo-1s +not exercised (just now|\d+ s ago)$/m);
    expect(result.code).toBe(1);
    const listed = (await app.get<{ runs: ChaosRun[] }>("/api/chaos/runs")).body.runs.find((r) => r.id === run.id);
    expect(listed).toMatchObject({ origin: "cli", scenario: "data-integrity", state: run.state });
    const timeline = (await app.get<{ events: { title: string }[] }>("/api/timeline")).body.events.map((e) => e.title);
    expect(timeline).toContain("Chaos run data-integrity started");
    expect(readState(settings.dir)?.supervisorPid).toBe(state.supervisorPid);
  });

  it("Ctrl-C mid-run aborts the scenario through the console, restores the stack like the Halt button, and exits 2", async () => {
    const out = outDir();
    const result = await runCli(["outage", "--param", "durationSeconds=60", "--out", out], { OPERATOR_TOKEN: TOKEN }, async (child, output) => {
      await waitFor("the hold step", () => output().includes("▸ hold the outage"), 60_000, 100);
      child.kill("SIGINT");
    });
    expect(result.code).toBe(2);
    expect(result.output).toContain("interrupted: aborting run");
    const [run] = reportsIn(out);
    expect(run.state).toBe("aborted");
    expect((await finishedRun(app!, run.id)).postflight).toEqual({ healthy: true, problems: [] });
    expect((await app!.snapshot()).redis.nodes.every((n) => n.up)).toBe(true);
    expect((await control(state, "GET", "/faults")).faults).toEqual([]);
  });

  it("Ctrl-C in the in-process engine does the same: run aborted, faults undone, stack healthy", async () => {
    const out = outDir();
    const result = await runCli(["latency", "--local", "--param", "durationSeconds=60", "--out", out], {}, async (child, output) => {
      await waitFor("the hold step", () => output().includes("▸ hold under latency"), 60_000, 100);
      child.kill("SIGINT");
    });
    expect(result.code).toBe(2);
    const [run] = reportsIn(out);
    expect(run).toMatchObject({ state: "aborted", postflight: { healthy: true, problems: [] } });
    expect((await control(state, "GET", "/faults")).faults).toEqual([]);
    expect((await control(state, "GET", "/workloads/traffic")).running).toBe(false);
  });

  it("an unhealthy stack at start (a sentinel killed for 10 minutes) gives exit 2 with the reason, and nothing runs", async () => {
    await control(state, "POST", "/nodes/sentinel-2/kill", { ttlSeconds: 600 });
    try {
      const out = outDir();
      const result = await runCli(["--local", "--out", out], {});
      expect(result.code).toBe(2);
      expect(result.output).toMatch(/could not run: pre-flight: .*sentinel-2 not answering/);
      expect(result.output).toContain("not run: an earlier scenario could not run");
      expect(reportsIn(out)).toEqual([]);
      expect(JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8")).exitCode).toBe(2);
    } finally {
      await control(state, "POST", "/reset");
    }
  });
});
