import { ConfigView } from "@/components/config/config-view";
import { getConfigAuditor } from "@/lib/config/audit-service";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

/** First paint is the auditor's cached report: a page view never causes a CONFIG GET. */
export default async function ConfigPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { collector } = await pageDeployment(searchParams);
  return <ConfigView initial={getConfigAuditor(collector).current()} initialSnapshot={collector.snapshot()} />;
}
