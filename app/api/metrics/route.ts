import { getChaosRunner } from "@/lib/chaos/instance";
import { getCollector } from "@/lib/collector/instance";
import { metricsRegistry } from "@/lib/metrics/exposition";

export const dynamic = "force-dynamic";

const KEY = Symbol.for("redis-resilience-console.metrics");
type WithRegistry = typeof globalThis & { [KEY]?: ReturnType<typeof metricsRegistry> };

/** Prometheus text exposition of the console's judgements and the sampled Redis metrics. */
export async function GET() {
  const g = globalThis as WithRegistry;
  const collector = getCollector();
  const runner = getChaosRunner();
  g[KEY] ??= metricsRegistry({
    snapshot: () => collector.snapshot(),
    runs: () => runner.store.list(),
    tickErrors: () => collector.tickErrors,
    deployment: collector.settings.deployment,
  });
  return new Response(await g[KEY].metrics(), { headers: { "Content-Type": g[KEY].contentType, "Cache-Control": "no-store" } });
}
