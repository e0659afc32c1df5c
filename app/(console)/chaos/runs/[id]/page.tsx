import { notFound } from "next/navigation";
import { RunPageView } from "@/components/chaos/run-page-view";
import { requirePageRole } from "@/lib/auth/page-access";
import { getChaosRunner } from "@/lib/chaos/instance";
import { getDeployments } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole("viewer", getDeployments().chaos.name);
  const run = await getChaosRunner().find(id);
  if (!run) notFound();
  return <RunPageView initial={run} />;
}
