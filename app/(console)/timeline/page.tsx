import { TimelineView } from "@/components/timeline/timeline-view";
import { getCollector } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

export default function TimelinePage() {
  const collector = getCollector();
  return <TimelineView initialEvents={collector.timeline.list()} initialSnapshot={collector.snapshot()} />;
}
