import { SentinelView } from "@/components/sentinel/sentinel-view";
import { getCollector } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

/** First paint is the server's current snapshot; then live over the stream. */
export default function SentinelPage() {
  return <SentinelView initial={getCollector().snapshot()} />;
}
