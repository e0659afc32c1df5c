/**
 * The chaos engine as the CLI drives it: the console's HTTP API (runs land in its history and
 * timeline) or the same runner in this process. Both run lib/chaos's scenarios; nothing here
 * is a second copy of them.
 */
import type { ChaosRun, ScenarioInfo } from "../../lib/chaos/types";
import type { AgedScorecardEntry } from "../../lib/verification/claims-standing";
import type { Guardrail } from "../../lib/verification/guardrails";

export type StartOutcome = { ok: true; id: string } | { ok: false; reason: string };

export interface ChaosEngine {
  /** Where runs happen, for the log. */
  readonly where: string;
  scenarios(): Promise<ScenarioInfo[]>;
  /** `guardrails` null: the engine's configured ones. */
  start(scenario: string, params: Record<string, unknown>, guardrails: Guardrail[] | null): Promise<StartOutcome>;
  /** Each claim's latest verdict with its age (printed after the suite). */
  scorecard(): Promise<AgedScorecardEntry[]>;
  run(id: string): Promise<ChaosRun>;
  /** Halts the run; the runner undoes its faults and restores the stack (like the Halt button). */
  abort(id: string): Promise<void>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 10_000;

/** The console's chaos API with the operator token (scripts authenticate by bearer, never by cookie). */
export class ConsoleEngine implements ChaosEngine {
  readonly where: string;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {
    this.where = `the console at ${url} (runs appear in its history and timeline)`;
  }

  private async request(
    method: "GET" | "POST",
    route: string,
    body?: unknown,
    timeoutMs = TIMEOUT_MS,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(this.url + route, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: ((await res.json().catch(() => ({}))) ?? {}) as Record<string, unknown> };
  }

  async scenarios(): Promise<ScenarioInfo[]> {
    const { status, body } = await this.request("GET", "/api/chaos/scenarios");
    if (status !== 200) throw new Error(`GET /api/chaos/scenarios answered ${status}`);
    return body.scenarios as ScenarioInfo[];
  }

  async start(scenario: string, params: Record<string, unknown>, guardrails: Guardrail[] | null): Promise<StartOutcome> {
    // The console answers at once; waiting for steady state is the run's first step.
    const { status, body } = await this.request("POST", "/api/chaos/runs", { scenario, params, origin: "cli", ...(guardrails ? { guardrails } : {}) });
    if (status === 202) return { ok: true, id: String(body.id) };
    const problems = Array.isArray(body.problems) ? `: ${(body.problems as string[]).join("; ")}` : "";
    return { ok: false, reason: `the console refused (${status}): ${String(body.error ?? "no reason given")}${problems}` };
  }

  async scorecard(): Promise<AgedScorecardEntry[]> {
    const { status, body } = await this.request("GET", "/api/chaos/scenarios");
    if (status !== 200) throw new Error(`GET /api/chaos/scenarios answered ${status}`);
    return body.scorecard as AgedScorecardEntry[];
  }

  async run(id: string): Promise<ChaosRun> {
    const { status, body } = await this.request("GET", `/api/chaos/runs/${encodeURIComponent(id)}`);
    if (status !== 200) throw new Error(`GET /api/chaos/runs/${id} answered ${status}`);
    return body as unknown as ChaosRun;
  }

  async abort(id: string): Promise<void> {
    const { status, body } = await this.request("POST", `/api/chaos/runs/${encodeURIComponent(id)}/abort`, {});
    // 409: the run already ended on its own, which is what an abort wants.
    if (status !== 202 && status !== 409) throw new Error(`abort answered ${status}: ${String(body.error ?? "")}`);
  }

  async close(): Promise<void> {}
}
