/** The suite's verdict: one row per check, and the exit code. Pure. */
import type { ChaosRun, RunStep } from "../../lib/chaos/types";
import type { ScenarioId } from "../../lib/contract/scenarios";

/** What became of one scenario of the suite: a finished run, or the reason it could not run. */
export type ScenarioOutcome = { scenario: ScenarioId; run: ChaosRun } | { scenario: ScenarioId; couldNotRun: string };

export interface VerdictRow {
  scenario: string;
  claim: string;
  expected: string;
  observed: string;
  ok: "yes" | "NO" | "—";
}

export const EXIT = { held: 0, failed: 1, couldNotRun: 2 } as const;

/** Every check of every run, plus a row for each run that failed without a failing check and each scenario that did not run. */
export function verdictRows(outcomes: ScenarioOutcome[]): VerdictRow[] {
  const rows: VerdictRow[] = [];
  for (const o of outcomes) {
    if (!("run" in o)) {
      rows.push({ scenario: o.scenario, claim: "—", expected: "the scenario runs", observed: `could not run: ${o.couldNotRun}`, ok: "—" });
      continue;
    }
    for (const c of o.run.checks) rows.push({ scenario: o.scenario, claim: c.claim ?? "—", expected: c.expect, observed: c.observed, ok: c.ok ? "yes" : "NO" });
    if (o.run.state === "aborted") rows.push({ scenario: o.scenario, claim: "—", expected: "the run completes", observed: `aborted${o.run.postflight?.healthy ? "; stack restored" : ""}`, ok: "—" });
    else if (o.run.state === "failed" && o.run.checks.every((c) => c.ok)) rows.push({ scenario: o.scenario, claim: "—", expected: "the run completes", observed: o.run.error ?? "failed", ok: "NO" });
  }
  return rows;
}

/** 1 when a run failed (a check did not hold); else 2 when a scenario could not run or was aborted; else 0. */
export function exitCode(outcomes: ScenarioOutcome[]): number {
  if (outcomes.some((o) => "run" in o && o.run.state === "failed")) return EXIT.failed;
  if (outcomes.length === 0 || outcomes.some((o) => !("run" in o) || o.run.state !== "passed")) return EXIT.couldNotRun;
  return EXIT.held;
}

function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

/** A plain-text table that fits a terminal; the reports keep the full text. */
export function formatTable(rows: VerdictRow[], width = 160): string {
  const head: VerdictRow = { scenario: "scenario", claim: "claim", expected: "expected", observed: "observed", ok: "ok" as VerdictRow["ok"] };
  const all = [head, ...rows];
  const w = (k: keyof VerdictRow) => Math.max(...all.map((r) => r[k].length));
  const fixed = w("scenario") + w("claim") + 3 + 4 * 3;
  const text = Math.max(30, width - fixed);
  const exp = Math.min(w("expected"), Math.floor(text * 0.45));
  const obs = Math.min(w("observed"), text - exp);
  const line = (r: VerdictRow) =>
    [r.scenario.padEnd(w("scenario")), r.claim.padEnd(w("claim")), clip(r.expected, exp).padEnd(exp), clip(r.observed, obs).padEnd(obs), r.ok].join(" | ").trimEnd();
  return [line(head), [w("scenario"), w("claim"), exp, obs, 3].map((n) => "-".repeat(n)).join("-|-"), ...rows.map(line)].join("\n");
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
