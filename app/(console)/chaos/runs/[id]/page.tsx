import { notFound } from "next/navigation";
import { RunPageView } from "@/components/chaos/run-page-view";
import { getChaosRunner } from "@/lib/chaos/instance";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const run = getChaosRunner().store.get(id);
  if (!run) notFound();
  return <RunPageView initial={run} />;
}
