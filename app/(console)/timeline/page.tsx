import { TimelineView } from "@/components/timeline/timeline-view";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";
import { sharedIncidents, sharedTimeline } from "@/lib/store/shared-lists";

export const dynamic = "force-dynamic";

export default async function TimelinePage({ searchParams }: { searchParams: PageSearchParams }) {
  const { name, collector } = await pageDeployment(searchParams);
  // Every replica's records (the store, when shared), as the APIs the page then polls answer.
  const [timeline, incidents] = await Promise.all([sharedTimeline(name, collector.timeline), sharedIncidents(name, collector.incidents)]);
  return (
    <TimelineView
      initialEvents={timeline.events}
      initialSnapshot={collector.snapshot()}
      initialIncidents={{ open: incidents.open, incidents: incidents.incidents }}
    />
  );
}
