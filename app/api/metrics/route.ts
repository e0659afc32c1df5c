import type { Registry } from "prom-client";
import type { ChaosRun } from "@/lib/chaos/types";
import { getChaosRunner } from "@/lib/chaos/instance";
import { getDeployments } from "@/lib/collector/instance";
import { accessDeployment } from "@/lib/auth/access";
import { metricsRegistry, type MetricsSource } from "@/lib/metrics/exposition";
import { claimsContext, sharedClaimsContext } from "@/lib/verification/claims-context";
import { getScheduler } from "@/lib/verification/instance";
import { guardrailAborts } from "@/lib/verification/run-guard";

export const dynamic = "force-dynamic";

const KEY = Symbol.for("redis-resilience-console.metrics");
type WithRegistries = typeof globalThis & { [KEY]?: Map<string, Registry> };
const RUNS = Symbol.for("redis-resilience-console.metrics-runs");
/** Per deployment, every replica's runs as read for the scrape under way (the gauges are collected synchronously). */
const sharedRuns = ((globalThis as typeof globalThis & { [RUNS]?: Map<string, ChaosRun[]> })[RUNS] ??= new Map());

/** Prometheus text exposition of every deployment's judgements and sampled Redis metrics (label `deployment`); `?deployment=` narrows it to one. */
export async function GET(request: Request) {
  const only = new URL(request.url).searchParams.has("deployment");
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const key = only ? d.deployment.name : "*";
  // The scorecard gauges agree on every replica: the runs are read from the store (memory when it is not shared).
  for (const x of getDeployments().all.filter((x) => !only || x.name === key)) {
    const ctx = await sharedClaimsContext(x);
    if (ctx) sharedRuns.set(x.name, ctx.runs);
  }
  const registries = ((globalThis as WithRegistries)[KEY] ??= new Map());
  let registry = registries.get(key);
  if (!registry) {
    const runner = getChaosRunner();
    const sources = getDeployments()
      .all.filter((x) => !only || x.name === key)
      .map((x): MetricsSource => ({
        deployment: x.name,
        snapshot: () => x.collector.snapshot(),
        runs: () => sharedRuns.get(x.name) ?? claimsContext(x)?.runs ?? (x.chaos ? runner.store.list() : []),
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
