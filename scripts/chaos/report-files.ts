/**
 * The suite's reports on disk: per run the same Markdown and JSON the console's export gives
 * (lib/chaos/report.ts), and a summary with the verdict table.
 */
import fs from "node:fs";
import path from "node:path";
import { runToMarkdown } from "../../lib/chaos/report";
import type { ChaosRun } from "../../lib/chaos/types";
import type { ScenarioOutcome, VerdictRow } from "./verdicts";

/** Writes chaos-<id>.md and chaos-<id>.json (the console's export file names). */
export function writeRunReport(outDir: string, run: ChaosRun): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const md = path.join(outDir, `chaos-${run.id}.md`);
  const json = path.join(outDir, `chaos-${run.id}.json`);
  fs.writeFileSync(md, runToMarkdown(run));
  fs.writeFileSync(json, JSON.stringify(run, null, 2) + "\n");
  return [md, json];
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** Writes summary.md and summary.json for the whole suite. */
export function writeSummary(
  outDir: string,
  summary: { startedAt: string; engine: string; exitCode: number; outcomes: ScenarioOutcome[]; rows: VerdictRow[] },
): string {
  fs.mkdirSync(outDir, { recursive: true });
  const runs = summary.outcomes.map((o) =>
    "run" in o ? { scenario: o.scenario, runId: o.run.id, state: o.run.state } : { scenario: o.scenario, couldNotRun: o.couldNotRun },
  );
  fs.writeFileSync(path.join(outDir, "summary.json"), JSON.stringify({ ...summary, outcomes: runs, endedAt: new Date().toISOString() }, null, 2) + "\n");
  const md = [
    `# Chaos suite ${summary.startedAt}`,
    "",
    `- Engine: ${summary.engine}`,
    `- Exit code: **${summary.exitCode}** (0 every check held, 1 a check refuted or not exercised, 2 could not run)`,
    "",
    "## Runs",
    "",
    ...runs.map((r) =>
      "runId" in r ? `- ${r.scenario}: **${r.state}** — [chaos-${r.runId}.md](chaos-${r.runId}.md)` : `- ${r.scenario}: could not run — ${r.couldNotRun}`,
    ),
    "",
    "## Verdicts",
    "",
    "| scenario | claim | expected | observed | verdict |",
    "|---|---|---|---|---|",
    ...summary.rows.map((r) => `| ${r.scenario} | ${r.claim} | ${cell(r.expected)} | ${cell(r.observed)} | ${r.verdict} |`),
    "",
  ].join("\n");
  const file = path.join(outDir, "summary.md");
  fs.writeFileSync(file, md);
  return file;
}
