import "server-only";
/**
 * What the dev-stack run (external-run.ts) asks of a Sentinel dev stack, in one place, as
 * cluster-dev-stack.ts does for a Redis Cluster one: per scenario whether it can run and why not,
 * its params and its plan. The run itself is the one engine's (../run-engine.ts).
 */
import { SCENARIO_IDS } from "../../contract/scenarios";
import { FaultJournal } from "../journal";
import { scenarioAvailability, type CapabilityAnswer } from "./capabilities";
import type { ConsoleProxy } from "./console-proxy";
import { ExternalTarget } from "./external";
import { EXTERNAL_PARAMS, EXTERNAL_SCENARIOS, type ExternalScenario } from "./external-params";
import type { externalOptions } from "./for-deployment";
import { externalPlan } from "./plan";

type Options = NonNullable<ReturnType<typeof externalOptions>>;

/** `lacks`: unavailable for want of a capability (DEBUG, a fault proxy), not for want of opt-in or an answer. */
export type Availability = { scenario: string; available: boolean; reason: string | null; lacks?: boolean };

export const NOT_OPTED_IN = 'not opted in: the deployment\'s config has no "chaos": {"allow": true, "username": …}';

/** Per scenario: what the stack answers for the capabilities it needs (null `opts`: not opted in). */
export async function sentinelAvailability(opts: Options | null, dir: string, proxy: ConsoleProxy | null): Promise<Availability[]> {
  let answers: CapabilityAnswer[] = [];
  let why: string | null = null;
  if (!opts) why = NOT_OPTED_IN;
  else
    answers = await new ExternalTarget(opts, new FaultJournal(dir, opts.deployment, "probe")).capabilities().catch((err: Error) => ((why = err.message), []));
  return SCENARIO_IDS.map((scenario) => {
    if (why) return { scenario, available: false, reason: why };
    if (scenario === "latency" && proxy?.problem) return { scenario, available: false, reason: proxy.problem, lacks: true };
    const a = scenarioAvailability(answers, scenario);
    if (a.available && !(EXTERNAL_SCENARIOS as string[]).includes(scenario))
      return { scenario, available: false, reason: `not yet driven on an external target: it can run ${EXTERNAL_SCENARIOS.join(", ")}` };
    return { scenario, ...a, ...(a.available ? {} : { lacks: true }) };
  });
}

export function parseSentinelScenario(
  deployment: string,
  scenario: string,
  raw: unknown,
): { ok: true; scenario: ExternalScenario; params: Record<string, unknown> } | { ok: false; status: 400; error: string } {
  if (!(EXTERNAL_SCENARIOS as string[]).includes(scenario))
    return {
      ok: false,
      status: 400,
      error: `scenario "${scenario.slice(0, 64)}" cannot run on the external target "${deployment}": it can run ${EXTERNAL_SCENARIOS.join(", ")}`,
    };
  const p = EXTERNAL_PARAMS[scenario as ExternalScenario].safeParse(raw ?? {});
  if (!p.success)
    return {
      ok: false,
      status: 400,
      error: `invalid params for ${scenario} on an external target: ${p.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`,
    };
  return { ok: true, scenario: scenario as ExternalScenario, params: p.data as Record<string, unknown> };
}

/** What a run would do, read from the stack (its master, down-after, persistence) with the chaos credential. */
export async function askSentinelPlan(
  opts: Options,
  dir: string,
  parsed: { scenario: ExternalScenario; params: Record<string, unknown> },
  lockTtlMs: number,
): Promise<ReturnType<typeof externalPlan>> {
  const target = new ExternalTarget(opts, new FaultJournal(dir, opts.deployment, "plan"));
  const master = await target.master().catch(() => opts.nodes[0]);
  const downAfterMs = await target.downAfterMs();
  const crashes = parsed.scenario === "restart-under-load" || (parsed.scenario === "data-integrity" && parsed.params.mode !== "failover");
  const persistence = crashes ? await target.persistence() : null;
  return externalPlan(parsed.scenario, parsed.params, { ...opts, master, lockTtlMs, downAfterMs, persistence });
}
