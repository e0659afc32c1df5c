import { z } from "zod";
import { accessDeployment } from "@/lib/auth/access";
import { MEMORY_MINUTES, memoryHistory } from "@/lib/history/memory-history";
import { prometheusHistory } from "@/lib/history/prometheus-history";
import { json, parseQuery, problem } from "@/lib/http/responses";
import { prometheusSource } from "@/lib/prometheus/source";

export const dynamic = "force-dynamic";

/** With Prometheus the charts reach back a day; the console itself keeps an hour. */
const PROMETHEUS_MINUTES = 24 * 60;

const Query = z.object({
  minutes: z.coerce
    .number({ message: "minutes must be a number" })
    .int("minutes must be a whole number")
    .min(1, "minutes must be at least 1")
    .max(PROMETHEUS_MINUTES, `ask for at most ${PROMETHEUS_MINUTES} minutes (24 h)`)
    .default(15),
  source: z
    .enum(["auto", "memory", "prometheus"], { message: 'source must be "auto" (memory up to 60 min, Prometheus beyond), "memory" or "prometheus"' })
    .default("auto"),
});

/**
 * Per-node time series over the last N minutes: from the collector's memory up to 60 minutes,
 * from Prometheus (PROMETHEUS_URL) beyond that or when `source=prometheus`. When Prometheus
 * fails, the part memory covers is served instead, with the reason.
 */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const q = parseQuery(Query, request.url);
  if (!q.ok) return q.response;
  const { minutes, source } = q.data;
  const target = prometheusSource();
  const collector = d.deployment.collector;
  if (!target && (minutes > MEMORY_MINUTES || source === "prometheus")) {
    return problem(
      400,
      minutes > MEMORY_MINUTES
        ? `invalid query: minutes: the console keeps ${MEMORY_MINUTES} minutes; ask for at most ${MEMORY_MINUTES}`
        : "invalid query: source=prometheus needs a Prometheus",
      "Set PROMETHEUS_URL (e.g. http://127.0.0.1:9090) for ranges beyond the last hour.",
    );
  }
  if (source === "memory" && minutes > MEMORY_MINUTES)
    return problem(
      400,
      `invalid query: minutes: memory keeps ${MEMORY_MINUTES} minutes; ask for at most ${MEMORY_MINUTES}, or leave source out to use Prometheus`,
    );
  if (!target || source === "memory" || (source === "auto" && minutes <= MEMORY_MINUTES)) return json(memoryHistory(collector, minutes));

  const fromPrometheus = await prometheusHistory(collector.settings, minutes, target);
  if (fromPrometheus.ok) return json(fromPrometheus.body);
  const covered = Math.min(minutes, MEMORY_MINUTES);
  return json({
    ...memoryHistory(collector, covered),
    prometheus: { url: target.display, error: fromPrometheus.error },
    notice: `${fromPrometheus.error}: showing the last ${covered} minutes from the console's memory instead.`,
  });
}
