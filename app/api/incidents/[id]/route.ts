import { z } from "zod";
import { getChaosRunner } from "@/lib/chaos/instance";
import { accessDeployment } from "@/lib/auth/access";
import { json, parseQuery, problem } from "@/lib/http/responses";
import { incidentToMarkdown, type DrillVerdicts } from "@/lib/incidents/postmortem";
import { sharedIncident } from "@/lib/store/shared-lists";

export const dynamic = "force-dynamic";

const Query = z.object({
  format: z.enum(["json", "markdown"], { message: 'format must be "json" or "markdown"' }).default("json"),
  deployment: z.string().optional(),
});

/** One incident; `?format=markdown` gives its postmortem draft (with the chaos verdicts for a drill). */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const { id } = await ctx.params;
  const incident = await sharedIncident(d.deployment.name, id, d.deployment.collector.incidents);
  if (!incident) return problem(404, `no incident "${id}"`, "GET /api/incidents lists them");
  // A drill run on another replica is read from the store.
  const run = incident.chaosRun && d.deployment.chaos ? await getChaosRunner().find(incident.chaosRun) : undefined;
  const drill: DrillVerdicts | null = run
    ? {
        scenario: run.scenario,
        state: run.state,
        checks: run.checks.map((c) => ({ claim: c.claim, expect: c.expect, observed: c.observed, verdict: c.verdict })),
      }
    : null;
  if (q.data.format === "json") return json({ incident, drill });
  const md = incidentToMarkdown(incident, { deployment: d.deployment.name, generatedAt: new Date().toISOString(), drill });
  return new Response(md, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="incident-${id.replace(/[^A-Za-z0-9-]/g, "")}.md"`,
      "Cache-Control": "no-store",
    },
  });
}
