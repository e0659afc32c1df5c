import { ConfigView } from "@/components/config/config-view";
import { getCollector } from "@/lib/collector/instance";
import { getConfigAuditor } from "@/lib/config/audit-service";

export const dynamic = "force-dynamic";

/** First paint is the auditor's cached report: a page view never causes a CONFIG GET. */
export default function ConfigPage() {
  const collector = getCollector();
  return <ConfigView initial={getConfigAuditor(collector).current()} initialSnapshot={collector.snapshot()} />;
}
