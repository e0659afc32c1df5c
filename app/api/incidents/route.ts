import { z } from "zod";
import { accessDeployment } from "@/lib/auth/access";
import { json, parseQuery } from "@/lib/http/responses";
import { filterIncidents, INCIDENT_KINDS } from "@/lib/incidents/filter";
import { sharedIncidents } from "@/lib/store/shared-lists";

export const dynamic = "force-dynamic";

const Query = z.object({
  kind: z.enum(INCIDENT_KINDS, { message: 'kind must be "incident" or "drill"' }).optional(),
  severity: z.enum(["page", "warn", "info"], { message: 'severity must be "page", "warn" or "info"' }).optional(),
  q: z.string().max(200, "q is at most 200 characters").optional(),
  deployment: z.string().optional(),
});

/**
 * Incidents, the open one first then newest first (every replica's, from the store);
 * `?kind=&severity=&q=` narrow the list. `settleMs`: how long everything must stay ok before the
 * open one closes (an open incident with `recoveredAt` is in that period).
 */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const { open, incidents, source } = await sharedIncidents(d.deployment.name, d.deployment.collector.incidents);
  const settleMs = d.deployment.collector.incidents.settlePeriodMs();
  return json({ open, incidents: filterIncidents(incidents, q.data), source, settleMs });
}
