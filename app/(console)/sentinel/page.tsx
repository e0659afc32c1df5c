import { SentinelView } from "@/components/sentinel/sentinel-view";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

/** First paint is the server's current snapshot; then live over the stream. */
export default async function SentinelPage({ searchParams }: { searchParams: PageSearchParams }) {
  return <SentinelView initial={(await pageDeployment(searchParams)).collector.snapshot()} />;
}
