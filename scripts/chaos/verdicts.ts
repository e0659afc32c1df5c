/** The suite's verdict: one row per check, and the exit code. Pure. */
import { PREFLIGHT_STEP, type ChaosRun, type RunStep } from "../../lib/chaos/types";
import { everyCheckHeld, verdictOf } from "../../lib/chaos/verdict";
import type { ScenarioId } from "../../lib/contract/scenarios";

/** What became of one scenario of the suite: a finished run, or the reason it could not run. */
export type ScenarioOutcome = { scenario: ScenarioId; run: ChaosRun } | { scenario: ScenarioId; couldNotRun: string };

export interface VerdictRow {
  scenario: string;
  claim: string;
  expected: string;
  observed: string;
  /** A check's held, REFUTED or "not exercised" (its reason in observed); FAILED for a run that broke off, "—" for one that did not happen. */
  verdict: "held" | "REFUTED" | "not exercised" | "FAILED" | "—";
}

/** 0 every check held; 1 a check was refuted or not exercised, or a run failed; 2 could not run. */
export const EXIT = { held: 0, failed: 1, couldNotRun: 2 } as const;

const LABEL = { held: "held", refuted: "REFUTED", "not-exercised": "not exercised" } as const;

/** A run that never got past its pre-flight tested nothing: it could not run, like a 409. */
export function preflightRefusal(run: ChaosRun): string | null {
  const step = run.steps.find((s) => s.name === PREFLIGHT_STEP);
  return step?.state === "failed" ? (step.detail ?? run.error ?? "pre-flight failed") : null;
}

/** Every check of every run, plus a row for each run that failed without a failing check and each scenario that did not run. */
export function verdictRows(outcomes: ScenarioOutcome[]): VerdictRow[] {
  const rows: VerdictRow[] = [];
  for (const o of outcomes) {
    if (!("run" in o)) {
      rows.push({ scenario: o.scenario, claim: "—", expected: "the scenario runs", observed: `could not run: ${o.couldNotRun}`, verdict: "—" });
      continue;
    }
    for (const c of o.run.checks) {
      const v = verdictOf(c);
      rows.push({
        scenario: o.scenario,
        claim: c.claim ?? "—",
        expected: c.expect,
        observed: v === "not-exercised" ? `${c.reason ?? c.observed} (saw: ${c.observed})` : c.observed,
        verdict: LABEL[v],
      });
    }
    if (o.run.state === "aborted")
      rows.push({
        scenario: o.scenario,
        claim: "—",
        expected: "the run completes",
        observed: `aborted${o.run.postflight?.healthy ? "; stack restored" : ""}`,
        verdict: "—",
      });
    else if (o.run.state === "failed" && o.run.error && !o.run.checks.some((c) => verdictOf(c) === "refuted"))
      rows.push({ scenario: o.scenario, claim: "—", expected: "the run completes", observed: o.run.error, verdict: "FAILED" });
  }
  return rows;
}

/** 1 when a run failed (a check refuted or not exercised); else 2 when a scenario could not run or was aborted; else 0 (every check held). */
export function exitCode(outcomes: ScenarioOutcome[]): number {
  const ran = outcomes.flatMap((o) => ("run" in o ? [o.run] : []));
  if (ran.some((r) => r.state === "failed" || (r.state === "passed" && !everyCheckHeld(r.checks)))) return EXIT.failed;
  if (outcomes.length === 0 || outcomes.some((o) => !("run" in o) || o.run.state !== "passed")) return EXIT.couldNotRun;
  return EXIT.held;
}

function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

/** A plain-text table that fits a terminal; the reports keep the full text. */
export function formatTable(rows: VerdictRow[], width = 160): string {
  const head: VerdictRow = { scenario: "scenario", claim: "claim", expected: "expected", observed: "observed", verdict: "verdict" as VerdictRow["verdict"] };
  const all = [head, ...rows];
  const w = (k: keyof VerdictRow) => Math.max(...all.map((r) => r[k].length));
  const fixed = w("scenario") + w("claim") + w("verdict") + 4 * 3;
  const text = Math.max(30, width - fixed);
  const exp = Math.min(w("expected"), Math.floor(text * 0.45));
  const obs = Math.min(w("observed"), text - exp);
  const line = (r: VerdictRow) =>
    [r.scenario.padEnd(w("scenario")), r.claim.padEnd(w("claim")), clip(r.expected, exp).padEnd(exp), clip(r.observed, obs).padEnd(obs), r.verdict]
      .join(" | ")
      .trimEnd();
  return [line(head), [w("scenario"), w("claim"), exp, obs, w("verdict")].map((n) => "-".repeat(n)).join("-|-"), ...rows.map(line)].join("\n");
}

/** Lines for the steps that started or ended since `before` (null: nothing seen yet). */
export function stepLines(before: RunStep[] | null, after: RunStep[]): string[] {
  const lines: string[] = [];
  for (const s of after) {
    const was = before?.find((b) => b.name === s.name)?.state ?? "pending";
    if (was === s.state) continue;
    if (s.state === "running") lines.push(`  ▸ ${s.name}…`);
    else if (s.state === "done" || s.state === "failed") {
      const secs = s.startedAt && s.endedAt ? ` (${((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)} s)` : "";
      lines.push(`  ${s.state === "done" ? "✓" : "✗"} ${s.name}${secs}${s.detail ? `: ${s.detail}` : ""}`);
    } else if (s.state === "skipped") lines.push(`  · ${s.name}: skipped`);
  }
  return lines;
}
