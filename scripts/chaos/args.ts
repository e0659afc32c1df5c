/** The chaos suite's command line. Pure. */
import { GuardrailSchema } from "../../lib/config/verification-schema";
import { SCENARIO_IDS, type ScenarioId } from "../../lib/contract/scenarios";
import type { Guardrail } from "../../lib/verification/guardrails";

/** The guide's suite, in its order: outage (with its recovery), memory pressure, restart under load, data integrity. */
export const GUIDE_SUITE: ScenarioId[] = ["outage", "memory-pressure", "restart-under-load", "data-integrity"];

export const USAGE = `usage: scripts/chaos-redis.sh [scenario|all] [--out DIR] [--param [scenario.]name=value]… [--guardrail SPEC]… [--local]

  (no scenario)  the guide's suite: ${GUIDE_SUITE.join(", ")}
  all            every scenario: ${SCENARIO_IDS.join(", ")}
  <scenario>     just that one
  --out DIR      where the reports go (default ./chaos-report)
  --param        a scenario parameter, e.g. --param durationSeconds=5 or --param outage.mode=network
  --guardrail    stop a run (and restore) when this holds, e.g. --guardrail layer-not-ok,forSeconds=5
                 or --guardrail memory-above,ratio=0.95 (or a JSON object); "none" for no guardrail.
                 Without it, the console's configured guardrails apply.
  --local        run the engine in this process even when a console is up

env: CHAOS_CONSOLE_URL (default http://127.0.0.1:\${PORT:-3000}), OPERATOR_TOKEN, DEVSTACK_DIR, DEVSTACK_BASE_PORT
exit: 0 every check held, 1 a check failed, 2 could not run (the reason is printed)`;

export interface ParamOverride {
  /** null: every scenario of the run that has a parameter of that name. */
  scenario: ScenarioId | null;
  name: string;
  value: number | string;
}

export interface CliArgs {
  scenarios: ScenarioId[];
  out: string;
  params: ParamOverride[];
  local: boolean;
  help: boolean;
  /** null: the console's configured guardrails; [] none. */
  guardrails: Guardrail[] | null;
}

export class UsageError extends Error {}

function isScenario(s: string): s is ScenarioId {
  return (SCENARIO_IDS as readonly string[]).includes(s);
}

function parseParam(raw: string): ParamOverride {
  const m = /^(?:([a-z-]+)\.)?([A-Za-z]+)=(.*)$/.exec(raw);
  if (!m) throw new UsageError(`--param needs name=value or scenario.name=value, got "${raw}"`);
  const [, scenario, name, text] = m;
  if (scenario && !isScenario(scenario)) throw new UsageError(`--param ${raw}: unknown scenario "${scenario}"`);
  const value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  return { scenario: (scenario as ScenarioId | undefined) ?? null, name, value };
}

/** `kind,name=value,…` or a JSON object, checked as the console checks a guardrail. */
export function parseGuardrail(raw: string): Guardrail {
  let candidate: unknown;
  if (raw.trim().startsWith("{")) {
    try {
      candidate = JSON.parse(raw);
    } catch {
      throw new UsageError(`--guardrail ${raw}: not valid JSON`);
    }
  } else {
    const [kind, ...pairs] = raw.split(",");
    const fields: Record<string, unknown> = { kind };
    for (const pair of pairs) {
      const m = /^([A-Za-z]+)=(.+)$/.exec(pair);
      if (!m) throw new UsageError(`--guardrail ${raw}: "${pair}" is not name=value`);
      const [, name, text] = m;
      fields[name] = name === "layers" ? text.split("+") : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    }
    candidate = fields;
  }
  const parsed = GuardrailSchema.safeParse(candidate);
  if (!parsed.success) throw new UsageError(`--guardrail ${raw}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "kind"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** Parses argv (without node and the script); throws UsageError with what is wrong. */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { scenarios: GUIDE_SUITE, out: "chaos-report", params: [], local: false, help: false, guardrails: null };
  let positional: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${a.split("=")[0]} needs a value`);
      return v;
    };
    if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--local") args.local = true;
    else if (a === "--out" || a.startsWith("--out=")) args.out = value();
    else if (a === "--param" || a.startsWith("--param=")) args.params.push(parseParam(value()));
    else if (a === "--guardrail" || a.startsWith("--guardrail=")) {
      const v = value();
      args.guardrails = v === "none" ? [] : [...(args.guardrails ?? []), parseGuardrail(v)];
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (positional !== null) throw new UsageError(`one scenario at most (got "${positional}" and "${a}")`);
    else positional = a;
  }
  if (positional === "all") args.scenarios = [...SCENARIO_IDS];
  else if (positional !== null) {
    if (!isScenario(positional)) throw new UsageError(`unknown scenario "${positional}": use one of ${SCENARIO_IDS.join(", ")} or all`);
    args.scenarios = [positional];
  }
  return args;
}

/** The params to send for `scenario`: overrides naming it, or naming no scenario when it declares the param. */
export function paramsFor(scenario: ScenarioId, overrides: ParamOverride[], declared: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of overrides) {
    if (o.scenario === scenario || (o.scenario === null && declared.includes(o.name))) out[o.name] = o.value;
  }
  return out;
}
