import { z } from "zod";
import { accessDeployment } from "@/lib/auth/access";
import { json, parseQuery } from "@/lib/http/responses";
import { getKeyspaceSampler } from "@/lib/keyspace/instance";

export const dynamic = "force-dynamic";

const Query = z.object({
  present: z.enum(["0", "1"], { message: 'present must be "1" (presentation mode: no key names) or "0"' }).default("0"),
});

/** Memory and evictions by key class, estimated from the sampler's last passes (never a Redis call per request). */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  return json(getKeyspaceSampler(d.deployment.collector).report(q.data.present !== "1"));
}
