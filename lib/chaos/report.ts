/** A chaos run as a Markdown report (the same content the run page and the CLI export). Pure. */
import { mdText } from "../markdown/escape";
import { formatMetric } from "./format";
import { CLAIMS, type ChaosRun, type CheckVerdict } from "./types";
import { claimVerdicts, tally, tallyLine, verdictOf, VERDICT_LABEL } from "./verdict";

// Every field below comes from Redis, the control API or a layer's answer: escaped, never raw.
const esc = mdText;

const MARK: Record<CheckVerdict, string> = { held: "✅ held", refuted: "❌ refuted", "not-exercised": "⚪ not exercised" };

export function runToMarkdown(run: ChaosRun): string {
  const t = tally(run.checks);
  const claims = claimVerdicts(run);
  return [
    `# Chaos run ${run.id}`,
    "",
    `- Scenario: **${run.scenario}** ${esc(JSON.stringify(run.params))}`,
    `- Verdict: **${run.state.toUpperCase()}** — ${tallyLine(t)}${run.state === "failed" && t.notExercised && !t.refuted && !run.error ? " (a check that was not exercised keeps a run from passing)" : ""}`,
    `- Started ${run.startedAt}, ended ${run.endedAt ?? "—"} (from ${run.origin})`,
    `- Stack after the run: ${run.postflight ? (run.postflight.healthy ? "healthy" : `NOT healthy: ${esc(run.postflight.problems.join("; "))}`) : "not checked"}`,
    ...(run.error ? [`- Error: ${esc(run.error)}`] : []),
    "",
    "## Guide claims tested",
    "",
    ...(claims.length
      ? claims.map(
          (c) =>
            `- ${CLAIMS[c.claim]}: **${VERDICT_LABEL[c.verdict]}**${c.verdict === "not-exercised" ? ` — ${esc(c.checks.find((x) => verdictOf(x) === "not-exercised")?.reason ?? "")}` : ""}`,
        )
      : ["- none"]),
    "",
    "## Checks",
    "",
    "| Verdict | Expected | Observed | Not exercised because |",
    "|---|---|---|---|",
    ...run.checks.map((c) => `| ${MARK[verdictOf(c)]} | ${esc(c.expect)} | ${esc(c.observed)} | ${c.reason ? esc(c.reason) : ""} |`),
    "",
    "## Measurements",
    "",
    ...(Object.keys(run.metrics).length ? Object.entries(run.metrics).map(([k, v]) => `- ${esc(k)}: ${esc(formatMetric(k, v))}`) : ["- none"]),
    "",
    "## Steps",
    "",
    ...run.steps.map(
      (s) =>
        `- [${s.state}] ${esc(s.name)}${s.startedAt ? ` (${s.startedAt.slice(11, 19)}${s.endedAt ? `–${s.endedAt.slice(11, 19)}` : ""})` : ""}${s.detail ? `: ${esc(s.detail)}` : ""}`,
    ),
    "",
  ].join("\n");
}
