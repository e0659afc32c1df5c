import { ClusterView } from "@/components/cluster/cluster-view";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

/** First paint is the server's current snapshot; then live over the stream. */
export default async function ClusterPage({ searchParams }: { searchParams: PageSearchParams }) {
  return <ClusterView initial={(await pageDeployment(searchParams)).collector.snapshot()} />;
}
