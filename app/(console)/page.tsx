import { OverviewView } from "@/components/overview/overview-view";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

/** First paint is the server's current snapshot: useful even when Redis or the stream is down. */
export default async function OverviewPage({ searchParams }: { searchParams: PageSearchParams }) {
  return <OverviewView initial={(await pageDeployment(searchParams)).collector.snapshot()} />;
}
