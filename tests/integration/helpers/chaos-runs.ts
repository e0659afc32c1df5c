/** Starting chaos runs through the console's API and waiting for them to end, for integration tests. */
import type { ChaosRun, RunCheck } from "../../../lib/chaos/types";
import type { RunningConsole } from "./console";
import { waitFor } from "./stack";

/** Starts a run with the operator token; returns the run id (the test fails on any other answer than 202). */
export async function startRun(
  c: RunningConsole,
  token: string,
  scenario: string,
  params: Record<string, unknown> = {},
): Promise<{ status: number; id: string; body: Record<string, unknown> }> {
  const res = await fetch(`${c.url}/api/chaos/runs`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ scenario, params }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, id: String(body.id ?? ""), body };
}

/** Waits until the run has ended (restore and post-flight included). */
export async function finishedRun(c: RunningConsole, id: string, timeoutMs = 150_000): Promise<ChaosRun> {
  return waitFor(
    `run ${id} to end`,
    async () => {
      const run = (await c.get<ChaosRun>(`/api/chaos/runs/${id}`)).body;
      return run.endedAt ? run : null;
    },
    timeoutMs,
    250,
  ).then((run) => {
    logVerdicts(run);
    return run;
  });
}

/** Prints a run's verdicts, so a failing assertion on one can be read beside the others in CI's output. */
function logVerdicts(run: ChaosRun): void {
  const where = (c: RunCheck) => [c.claim ?? "premise", c.layer, c.shard].filter(Boolean).join(" ");
  const lines = run.checks.map((c) => `  ${where(c)}: ${c.verdict} — ${String(c.observed).slice(0, 160)}`);
  console.log(`[verdicts] ${run.scenario} ${JSON.stringify(run.params ?? {})} → ${run.state}\n${lines.join("\n")}\n  metrics: ${JSON.stringify(run.metrics)}`);
}

/** Starts a run, waits for it, and fails loudly with the run's own words if it did not start. */
export async function runScenario(c: RunningConsole, token: string, scenario: string, params: Record<string, unknown> = {}): Promise<ChaosRun> {
  const started = await startRun(c, token, scenario, params);
  if (started.status !== 202) throw new Error(`${scenario} did not start (${started.status}): ${JSON.stringify(started.body)}`);
  return finishedRun(c, started.id);
}

/** The checks of a run that speak of `claim`. */
export function checksOf(run: ChaosRun, claim: RunCheck["claim"]): RunCheck[] {
  return run.checks.filter((c) => c.claim === claim);
}

/** A numeric metric, failing the test when it is missing. */
export function num(run: ChaosRun, key: string): number {
  const v = run.metrics[key];
  if (typeof v !== "number") throw new Error(`metric ${key} is ${JSON.stringify(v)}; metrics: ${JSON.stringify(run.metrics)}`);
  return v;
}
