import { z } from "zod";
import { accessDeployment } from "@/lib/auth/access";
import { json, parseQuery } from "@/lib/http/responses";
import { sharedTimeline } from "@/lib/store/shared-lists";
import { timelineToMarkdown } from "@/lib/timeline/export";

export const dynamic = "force-dynamic";

const Query = z.object({
  format: z.enum(["json", "markdown"], { message: 'format must be "json" or "markdown"' }).default("json"),
  since: z.coerce.number().int().min(0, "since is an event id (0 or more)").default(0),
});

/** Incident timeline events, newest last (every replica's, from the store); `?format=markdown` gives an incident report skeleton. */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const collector = d.deployment.collector;
  const { events, source } = await sharedTimeline(d.deployment.name, collector.timeline, q.data.since);
  if (q.data.format === "markdown") {
    const md = timelineToMarkdown(events, { deployment: collector.settings.deployment, generatedAt: new Date().toISOString() });
    return new Response(md, {
      headers: {
        "Content-Type": "text/markdown; charset=utf-8",
        "Content-Disposition": 'attachment; filename="incident-timeline.md"',
        "Cache-Control": "no-store",
      },
    });
  }
  return json({ events, source });
}
