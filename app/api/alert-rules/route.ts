import { z } from "zod";
import { alertRuleListing, prometheusRulesYaml } from "@/lib/alerts/prometheus-rules";
import { accessDeployment } from "@/lib/auth/access";
import { json, parseQuery } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const Query = z.object({
  format: z.enum(["yaml", "json"], { message: 'format must be "yaml" (Prometheus rules file) or "json" (the rules with their conditions)' }).default("yaml"),
});

/** The guide's alert rules with the configured thresholds: a Prometheus rules file, or JSON for the console. */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const { thresholds, redis, deployment } = d.deployment.collector.settings;
  if (q.data.format === "json") return json(alertRuleListing(thresholds, redis.masterName));
  return new Response(prometheusRulesYaml(thresholds, redis.masterName, deployment), {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": 'inline; filename="redis-alert-rules.yml"',
      "Cache-Control": "no-store",
    },
  });
}
