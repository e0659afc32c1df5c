/**
 * An incident as a Markdown postmortem draft: the per-layer impact table, key moments, alerts,
 * the drill's chaos verdicts, follow-ups. Every field from Redis, Sentinel or a layer is escaped. Pure.
 */
import { mdCell } from "../markdown/escape";
import type { Incident, LayerImpact } from "./types";

/** A chaos run's verdicts, as much as the postmortem needs. */
export interface DrillVerdicts {
  scenario: string;
  state: string;
  checks: { claim?: string; expect: string; observed: string; verdict: string }[];
}

const esc = mdCell;

export function seconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : `${(ms / 1000).toFixed(1)} s`;
}

function impactRow(l: LayerImpact): string {
  const felt = l.worst === "ok" ? "no impact seen" : l.worst;
  return `| ${l.layer} | ${felt} | ${seconds(l.ms.degraded ?? 0)} | ${seconds(l.ms.unavailable ?? 0)} | ${seconds(l.ms.unknown ?? 0)} | ${seconds(l.violationMs)} | ${l.firstNotOkAt ?? "—"} | ${l.backOkAt ?? "—"} |`;
}

export function incidentToMarkdown(inc: Incident, opts: { deployment: string; generatedAt: string; drill?: DrillVerdicts | null }): string {
  const lines = [
    `# ${inc.drill ? "Drill" : "Incident"} ${esc(inc.id)} — ${esc(opts.deployment)}`,
    "",
    `_Postmortem draft generated ${opts.generatedAt} by the Redis Resilience Console._`,
    "",
    "| | |",
    "|---|---|",
    `| Title | ${esc(inc.title)} |`,
    `| Started | ${inc.startedAt} |`,
    `| Noticed by | ${esc(inc.noticedBy.kind)}: ${esc(inc.noticedBy.title)} |`,
    `| Severity | ${inc.severity} |`,
    `| State | ${inc.state}${inc.recoveredAt ? `, everything ok again at ${inc.recoveredAt}` : ""} |`,
    `| Duration | ${inc.durationMs === null ? "still open" : seconds(inc.durationMs)} |`,
    "",
    "## Impact per layer",
    "",
    "What tenants felt, from the console's recorded layer states (time in each state).",
    "",
    "| Layer | Worst | Degraded | Unavailable | Unknown | Contract broken | First not ok | Back ok |",
    "|---|---|---|---|---|---|---|---|",
    ...(inc.layers.length ? inc.layers.map(impactRow) : ["| — | no layer state recorded | | | | | | |"]),
    "",
    "## Key moments",
    "",
    ...(inc.moments.length
      ? inc.moments.flatMap((m) => [
          `- ${m.at} — ${esc(m.title)}${m.failoverMs !== undefined ? ` (failover ${seconds(m.failoverMs)})` : ""}`,
          ...(m.phases ?? []).map((p) => `  - ${esc(p.name)}: ${esc(p.from)} → ${esc(p.to)} ${seconds(p.ms)}`),
        ])
      : ["- none recorded"]),
    "",
    "## Alerts",
    "",
    ...(inc.alerts.length
      ? [
          "| Time (UTC) | Rule | Severity | State | Summary |",
          "|---|---|---|---|---|",
          ...inc.alerts.map((a) => `| ${a.at} | ${esc(a.rule)} | ${a.severity} | ${a.state} | ${esc(a.summary ?? "")} |`),
        ]
      : ["No alert fired."]),
    "",
  ];
  if (opts.drill) {
    lines.push(
      `## Chaos verdicts (${esc(opts.drill.scenario)}: ${esc(opts.drill.state)})`,
      "",
      "| Claim | Expected | Observed | Verdict |",
      "|---|---|---|---|",
    );
    for (const c of opts.drill.checks) lines.push(`| ${esc(c.claim ?? "")} | ${esc(c.expect)} | ${esc(c.observed)} | ${esc(c.verdict)} |`);
    lines.push("");
  }
  lines.push(
    "## Details",
    "",
    ...(inc.details.length ? inc.details.map((d) => `- ${d.at} ${esc(d.kind)}: ${esc(d.title)}${d.count > 1 ? ` (×${d.count})` : ""}`) : ["- none"]),
    "",
  );
  lines.push("## Summary", "", "_What happened, impact on tenants, root cause — to be written._", "", "## Follow-ups", "", "- [ ] ", "");
  return lines.join("\n");
}
