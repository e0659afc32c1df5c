/**
 * `scripts/chaos-redis.sh [scenario|all]` (`npm run chaos`): the guide's chaos suite, headless,
 * on the same scenario engine as the console. Through the console's API when it is up on this
 * sandbox (runs then appear in its history), else in this process. Starts a sandbox when none
 * is up and stops it after. Ctrl-C aborts the running scenario and restores the stack first.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChaosRun } from "../../lib/chaos/types";
import type { StackState } from "../../devstack/state";
import { paramsFor, parseArgs, USAGE, UsageError, type CliArgs } from "./args";
import { ConsoleEngine, type ChaosEngine } from "./engine";
import { writeRunReport, writeSummary } from "./report-files";
import { probeConsole, runningSandbox, startSandbox, stopSandbox } from "./sandbox";
import { tally, tallyLine } from "../../lib/chaos/verdict";
import { EXIT, exitCode, formatTable, preflightRefusal, stepLines, verdictRows, type ScenarioOutcome } from "./verdicts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const POLL_MS = 400;
/** Polls may fail this long in a row (console restarting) before the run is given up on. */
const LOST_AFTER_MS = 30_000;

const say = (line: string) => console.log(line);
const interrupt = { requested: false, runId: null as string | null, engine: null as ChaosEngine | null };

function onSigint(): void {
  if (interrupt.requested) {
    console.error("chaos: second Ctrl-C: leaving now; if a fault is still in place, run: npm run stack -- reset");
    process.exit(EXIT.couldNotRun);
  }
  interrupt.requested = true;
  if (!interrupt.runId || !interrupt.engine) {
    say("chaos: interrupted: no scenario is running; stopping");
    return;
  }
  say(`chaos: interrupted: aborting run ${interrupt.runId} and restoring the stack (Ctrl-C again to leave at once)…`);
  interrupt.engine.abort(interrupt.runId).catch((err: Error) => console.error(`chaos: abort failed: ${err.message}`));
}

async function pickEngine(args: CliArgs, sandbox: StackState, dir: string): Promise<ChaosEngine> {
  const url = (process.env.CHAOS_CONSOLE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
  if (!args.local) {
    const probe = await probeConsole(url, sandbox);
    if (probe.onSandbox && process.env.OPERATOR_TOKEN) return new ConsoleEngine(url, process.env.OPERATOR_TOKEN);
    if (probe.onSandbox) say(`chaos: the console at ${url} watches this sandbox but OPERATOR_TOKEN is not set, so its API cannot start runs`);
    else if (probe.up) say(`chaos: the console at ${url} is not usable for this sandbox: ${probe.why}`);
  }
  try {
    const { LocalEngine } = await import("./local-engine");
    return new LocalEngine(dir);
  } catch (err) {
    throw new Error(
      `the in-process engine could not load (run this through scripts/chaos-redis.sh, which sets node's react-server condition): ${(err as Error).message}`,
    );
  }
}

/** Follows a run until it ends, printing a line as each step starts and ends. */
async function follow(engine: ChaosEngine, id: string): Promise<ChaosRun> {
  let seen: ChaosRun | null = null;
  let failingSince: number | null = null;
  for (;;) {
    try {
      const run = await engine.run(id);
      failingSince = null;
      for (const line of stepLines(seen?.steps ?? null, run.steps)) say(line);
      seen = run;
      if (run.endedAt) return run;
    } catch (err) {
      failingSince ??= Date.now();
      if (Date.now() - failingSince > LOST_AFTER_MS) throw new Error(`lost track of run ${id}: ${(err as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function runSuite(engine: ChaosEngine, args: CliArgs, outDir: string): Promise<ScenarioOutcome[]> {
  const infos = await engine.scenarios();
  const outcomes: ScenarioOutcome[] = [];
  for (const [i, scenario] of args.scenarios.entries()) {
    const stopReason = interrupt.requested ? "not run: interrupted" : outcomes.some((o) => !("run" in o)) ? "not run: an earlier scenario could not run" : null;
    if (stopReason) {
      outcomes.push({ scenario, couldNotRun: stopReason });
      continue;
    }
    const info = infos.find((s) => s.id === scenario);
    const params = paramsFor(scenario, args.params, info?.params.map((p) => p.name) ?? []);
    say(`\n[${i + 1}/${args.scenarios.length}] ${scenario}: ${info?.title ?? scenario} ${JSON.stringify(params)}`);
    const started = await engine.start(scenario, params, args.guardrails);
    if (!started.ok) {
      say(`  could not run: ${started.reason}`);
      outcomes.push({ scenario, couldNotRun: started.reason });
      continue;
    }
    interrupt.runId = started.id;
    say(`  run ${started.id}`);
    const run = await follow(engine, started.id).finally(() => (interrupt.runId = null));
    const refusal = preflightRefusal(run);
    if (refusal) {
      say(`  could not run: ${refusal}`);
      outcomes.push({ scenario, couldNotRun: refusal });
      continue;
    }
    writeRunReport(outDir, run);
    outcomes.push({ scenario, run });
    say(
      `  → ${run.state.toUpperCase()}: ${tallyLine(tally(run.checks))}; stack after: ${run.postflight?.healthy ? "healthy" : `NOT healthy (${run.postflight?.problems.join("; ") ?? "not checked"})`}${run.error ? `; ${run.error}` : ""}`,
    );
    if (run.abortedBy) say(`  stopped by guardrail ${run.abortedBy.guardrail} (holding since ${run.abortedBy.since}): ${run.abortedBy.saw}`);
  }
  return outcomes;
}

/** Each claim's verdict with its age: a held verdict from months ago is said as such. */
async function printClaimAges(engine: ChaosEngine): Promise<void> {
  const entries = await engine.scorecard().catch(() => null);
  if (!entries) return;
  say("claims:");
  const width = Math.max(...entries.map((e) => e.claim.length));
  for (const e of entries) say(`  ${e.claim.padEnd(width)}  ${e.age?.phrase ?? e.verdict}`);
  say("");
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`chaos: ${err.message}\n${USAGE}`);
    return EXIT.couldNotRun;
  }
  if (args.help) {
    say(USAGE);
    return EXIT.held;
  }
  process.on("SIGINT", onSigint);
  const startedAt = new Date().toISOString();
  const dir = path.resolve(root, process.env.DEVSTACK_DIR ?? ".devstack");
  const outDir = path.resolve(process.cwd(), args.out);
  let sandbox = runningSandbox(dir);
  const startedHere = !sandbox;
  if (sandbox) say(`chaos: using the sandbox already running in ${path.relative(root, dir) || dir} (base port ${sandbox.basePort})`);
  else {
    say(`chaos: no sandbox running in ${path.relative(root, dir) || dir}: starting one…`);
    const up = await startSandbox(root, dir);
    if (!up.ok) {
      console.error(`chaos: could not run: ${up.reason}`);
      return EXIT.couldNotRun;
    }
    sandbox = up.state;
    say(`chaos: sandbox up (base port ${sandbox.basePort}); it is stopped when the suite ends`);
  }
  let engine: ChaosEngine | null = null;
  try {
    if (interrupt.requested) return EXIT.couldNotRun;
    engine = await pickEngine(args, sandbox, dir);
    interrupt.engine = engine;
    say(`chaos: runs happen in ${engine.where}`);
    say(`chaos: scenarios: ${args.scenarios.join(", ")}; reports in ${outDir}`);
    const outcomes = await runSuite(engine, args, outDir);
    const rows = verdictRows(outcomes);
    const code = exitCode(outcomes);
    say(`\n${formatTable(rows, process.stdout.columns || 160)}\n`);
    await printClaimAges(engine);
    const summary = writeSummary(outDir, { startedAt, engine: engine.where, exitCode: code, outcomes, rows });
    const failed = outcomes.find((o) => !("run" in o));
    const why = interrupt.requested
      ? "interrupted: the running scenario was aborted and the stack restored"
      : `could not run: ${failed && !("run" in failed) ? failed.couldNotRun : "a run was aborted"}`;
    say(
      `chaos: ${code === EXIT.held ? "every check held" : code === EXIT.failed ? "a check was refuted or not exercised, or a run failed" : why} (exit ${code}); summary: ${summary}`,
    );
    return code;
  } catch (err) {
    console.error(`chaos: could not run: ${(err as Error).message}`);
    return EXIT.couldNotRun;
  } finally {
    await engine?.close().catch(() => {});
    if (startedHere) {
      say("chaos: stopping the sandbox this suite started…");
      const msg = await stopSandbox(root, dir);
      if (msg.startsWith("stopping the sandbox failed")) console.error(`chaos: ${msg}`);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`chaos: ${err.message}`);
    process.exit(EXIT.couldNotRun);
  },
);
