/** A chaos run as a Markdown report (the same content the run page and the CLI export). Pure. */
import { CLAIMS, type ChaosRun } from "./types";

function esc(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function runToMarkdown(run: ChaosRun): string {
  const held = run.checks.filter((c) => c.ok).length;
  const claims = [...new Set(run.checks.map((c) => c.claim).filter(Boolean))] as (keyof typeof CLAIMS)[];
  return [
    `# Chaos run ${run.id}`,
    "",
    `- Scenario: **${run.scenario}** ${JSON.stringify(run.params)}`,
    `- Verdict: **${run.state.toUpperCase()}** — ${held}/${run.checks.length} checks held`,
    `- Started ${run.startedAt}, ended ${run.endedAt ?? "—"} (from ${run.origin})`,
    `- Stack after the run: ${run.postflight ? (run.postflight.healthy ? "healthy" : `NOT healthy: ${run.postflight.problems.join("; ")}`) : "not checked"}`,
    ...(run.error ? [`- Error: ${run.error}`] : []),
    "",
    "## Guide claims tested",
    "",
    ...(claims.length ? claims.map((c) => `- ${CLAIMS[c]}: **${run.checks.filter((x) => x.claim === c).every((x) => x.ok) ? "held" : "refuted"}**`) : ["- none"]),
    "",
    "## Checks",
    "",
    "| ok | Expected | Observed |",
    "|---|---|---|",
    ...run.checks.map((c) => `| ${c.ok ? "✅" : "❌"} | ${esc(c.expect)} | ${esc(c.observed)} |`),
    "",
    "## Measurements",
    "",
    ...(Object.keys(run.metrics).length ? Object.entries(run.metrics).map(([k, v]) => `- ${k}: ${v ?? "—"}`) : ["- none"]),
    "",
    "## Steps",
    "",
    ...run.steps.map((s) => `- [${s.state}] ${s.name}${s.startedAt ? ` (${s.startedAt.slice(11, 19)}${s.endedAt ? `–${s.endedAt.slice(11, 19)}` : ""})` : ""}${s.detail ? `: ${s.detail}` : ""}`),
    "",
  ].join("\n");
}
