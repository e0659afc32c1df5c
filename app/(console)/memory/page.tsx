import { MemoryView } from "@/components/memory/memory-view";
import { alertRuleListing } from "@/lib/alerts/prometheus-rules";
import { getCollector } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

export default function MemoryPage() {
  const collector = getCollector();
  const { thresholds, redis } = collector.settings;
  return <MemoryView initialSnapshot={collector.snapshot()} initialRules={alertRuleListing(thresholds, redis.masterName)} memoryAlertRatio={thresholds.memoryUsedRatio} />;
}
