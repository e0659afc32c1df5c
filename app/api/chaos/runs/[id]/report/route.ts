import { z } from "zod";
import { getChaosRunner } from "@/lib/chaos/instance";
import { accessDeployment } from "@/lib/auth/access";
import { runToMarkdown } from "@/lib/chaos/report";
import { json, parseQuery, problem } from "@/lib/http/responses";
import { RunId } from "@/lib/chaos/run-id";

export const dynamic = "force-dynamic";

const Query = z.object({ format: z.enum(["markdown", "json"], { message: 'format must be "markdown" or "json"' }).default("markdown") });

/** The run's report for export: Markdown or JSON. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  // Runs are the sandbox's and found by id; the parameter is still checked, as on every route.
  const d = await accessDeployment(request, "viewer", { absent: "chaos" });
  if (!d.ok) return d.response;
  const { id } = await params;
  if (!RunId.safeParse(id).success) return problem(400, `"${id.slice(0, 80)}" is not a run id`);
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  // Another replica's run is read from the store.
  const run = await getChaosRunner().find(id);
  if (!run) return problem(404, `no run "${id}"`);
  if (q.data.format === "json") return json(run, 200, { "Content-Disposition": `attachment; filename="chaos-${id}.json"` });
  return new Response(runToMarkdown(run), {
    headers: { "Content-Type": "text/markdown; charset=utf-8", "Content-Disposition": `attachment; filename="chaos-${id}.md"`, "Cache-Control": "no-store" },
  });
}
