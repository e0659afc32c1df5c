import { TimelineView } from "@/components/timeline/timeline-view";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

export default async function TimelinePage({ searchParams }: { searchParams: PageSearchParams }) {
  const { collector } = await pageDeployment(searchParams);
  return (
    <TimelineView
      initialEvents={collector.timeline.list()}
      initialSnapshot={collector.snapshot()}
      initialIncidents={{ open: collector.incidents.open()?.id ?? null, incidents: collector.incidents.list() }}
    />
  );
}
