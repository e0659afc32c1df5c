import { MemoryView } from "@/components/memory/memory-view";
import { alertRuleListing } from "@/lib/alerts/prometheus-rules";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";
import { prometheusSource } from "@/lib/prometheus/source";

export const dynamic = "force-dynamic";

export default async function MemoryPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { collector } = await pageDeployment(searchParams);
  const { thresholds, redis } = collector.settings;
  return (
    <MemoryView
      initialSnapshot={collector.snapshot()}
      initialRules={alertRuleListing(thresholds, redis.masterName)}
      memoryAlertRatio={thresholds.memoryUsedRatio}
      prometheusUrl={prometheusSource()?.display ?? null}
    />
  );
}
