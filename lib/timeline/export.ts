/** Turns timeline events into an incident report skeleton (Markdown) — pure, used by route and UI. */
import { mdCell } from "../markdown/escape";
import type { TimelineEvent } from "./types";

const ICON: Record<TimelineEvent["severity"], string> = { page: "🔴", warn: "🟠", info: "⚪" };

export function timelineToMarkdown(events: TimelineEvent[], opts: { deployment: string; generatedAt: string }): string {
  const first = events[0]?.at ?? opts.generatedAt;
  const last = events.at(-1)?.at ?? opts.generatedAt;
  const lines = [
    `# Incident timeline — ${esc(opts.deployment)}`,
    "",
    `Generated ${opts.generatedAt} by the Redis Resilience Console. ${events.length} events from ${first} to ${last}.`,
    "",
    "## Summary",
    "",
    "_What happened, impact on tenants, root cause — to be written._",
    "",
    "## Events",
    "",
    "| Time (UTC) | Severity | Kind | Event | Detail |",
    "|---|---|---|---|---|",
    ...events.map((e) => `| ${e.at} | ${ICON[e.severity]} ${e.severity} | ${e.kind} | ${esc(e.title)} | ${esc(e.detail ?? "")} |`),
    "",
    "## Follow-ups",
    "",
    "- [ ] ",
    "",
  ];
  return lines.join("\n");
}

// Titles and details carry Redis's and Sentinel's own words: escaped, never raw.
const esc = mdCell;
