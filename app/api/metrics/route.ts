import type { Registry } from "prom-client";
import { getChaosRunner } from "@/lib/chaos/instance";
import { getDeployments } from "@/lib/collector/instance";
import { accessDeployment } from "@/lib/auth/access";
import { metricsRegistry, type MetricsSource } from "@/lib/metrics/exposition";
import { claimsContext } from "@/lib/verification/claims-context";
import { getScheduler } from "@/lib/verification/instance";
import { guardrailAborts } from "@/lib/verification/run-guard";

export const dynamic = "force-dynamic";

const KEY = Symbol.for("redis-resilience-console.metrics");
type WithRegistries = typeof globalThis & { [KEY]?: Map<string, Registry> };

/** Prometheus text exposition of every deployment's judgements and sampled Redis metrics (label `deployment`); `?deployment=` narrows it to one. */
export async function GET(request: Request) {
  const only = new URL(request.url).searchParams.has("deployment");
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const key = only ? d.deployment.name : "*";
  const registries = ((globalThis as WithRegistries)[KEY] ??= new Map());
  let registry = registries.get(key);
  if (!registry) {
    const runner = getChaosRunner();
    const sources = getDeployments()
      .all.filter((x) => !only || x.name === key)
      .map((x): MetricsSource => ({
        deployment: x.name,
        snapshot: () => x.collector.snapshot(),
        runs: () => claimsContext(x)?.runs ?? (x.chaos ? runner.store.list() : []),
        claims: () => claimsContext(x),
        guardrailAborts: () => guardrailAborts(x.name),
        scheduleLastRuns: () => getScheduler().lastStarted,
        tickErrors: () => x.collector.tickErrors,
        nodeInfo: (id) => x.collector.nodeInfo(id),
      }));
    registry = metricsRegistry(() => sources);
    registries.set(key, registry);
  }
  return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
}
