import { OverviewView } from "@/components/overview/overview-view";
import { getCollector } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

/** First paint is the server's current snapshot: useful even when Redis or the stream is down. */
export default function OverviewPage() {
  return <OverviewView initial={getCollector().snapshot()} />;
}
