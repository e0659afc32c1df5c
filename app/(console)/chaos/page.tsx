import { Suspense } from "react";
import { ChaosView } from "@/components/chaos/chaos-view";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

export default async function ChaosPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { collector } = await pageDeployment(searchParams);
  return (
    <Suspense fallback={null}>
      <ChaosView initialSnapshot={collector.snapshot()} />
    </Suspense>
  );
}
