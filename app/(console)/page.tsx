import { redirect } from "next/navigation";
import { OverviewView } from "@/components/overview/overview-view";
import { getDeployments } from "@/lib/collector/instance";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

/** First paint is the server's current snapshot: useful even when Redis or the stream is down. With several deployments and none named, the fleet is the landing page. */
export default async function OverviewPage({ searchParams }: { searchParams: PageSearchParams }) {
  const params = await searchParams;
  if (params.deployment === undefined && getDeployments().all.length > 1) redirect(params.present === "1" ? "/fleet?present=1" : "/fleet");
  return <OverviewView initial={(await pageDeployment(searchParams)).collector.snapshot()} />;
}
