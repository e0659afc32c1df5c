import { z } from "zod";
import { authorize } from "@/lib/auth/access";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json, NO_STORE, parseQuery, problem } from "@/lib/http/responses";
import { askStore } from "@/lib/store/instance";

export const dynamic = "force-dynamic";

const Query = z.object({
  since: z.iso.datetime({ message: "since must be an ISO time, e.g. 2026-12-06T10:00:00Z", offset: true }).optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(60).optional(),
  deployment: z.string().min(1).max(100).optional(),
  format: z.enum(["json", "jsonl"], { message: 'format must be "json" or "jsonl"' }).default("json"),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

/** The audit trail (admin), oldest first, each entry with its chain hash; `&format=jsonl` to export. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const allowed = await authorize(request, "admin", null);
  if (!allowed.ok) return allowed.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const entries = await askStore((store) => store.audit.list(q.data));
  if (!entries) return problem(503, "the store does not answer: the audit trail cannot be read now", "GET /api/ready says when it answers again.");
  if (q.data.format === "json") return json({ entries });
  return new Response(entries.map((e) => JSON.stringify(e)).join("\n") + (entries.length ? "\n" : ""), {
    headers: { ...NO_STORE, "Content-Type": "application/x-ndjson", "Content-Disposition": 'attachment; filename="audit.jsonl"' },
  });
}
