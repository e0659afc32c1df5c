import { z } from "zod";
import { prometheusRules, prometheusRulesYaml } from "@/lib/alerts/prometheus-rules";
import { ALERT_RULES, ALERT_WINDOW_SECONDS } from "@/lib/alerts/rules";
import { getCollector } from "@/lib/collector/instance";
import { json, parseQuery } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const Query = z.object({
  format: z.enum(["yaml", "json"], { message: 'format must be "yaml" (Prometheus rules file) or "json" (the rules with their conditions)' }).default("yaml"),
});

/** The guide's alert rules with the configured thresholds: a Prometheus rules file, or JSON for the console. */
export function GET(request: Request) {
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const { thresholds, redis, deployment } = getCollector().settings;
  if (q.data.format === "json") {
    const prom = new Map(prometheusRules(thresholds, redis.masterName).map((r) => [r.alert, r]));
    return json({
      windowSeconds: ALERT_WINDOW_SECONDS,
      thresholds,
      rules: ALERT_RULES.map((r) => ({ rule: r.rule, severity: r.severity, meaning: r.meaning, condition: r.condition(thresholds), prometheus: { expr: prom.get(r.rule)!.expr, for: prom.get(r.rule)!.for } })),
    });
  }
  return new Response(prometheusRulesYaml(thresholds, redis.masterName, deployment), {
    headers: { "Content-Type": "application/yaml; charset=utf-8", "Content-Disposition": 'inline; filename="redis-alert-rules.yml"', "Cache-Control": "no-store" },
  });
}
