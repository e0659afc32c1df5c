import { Suspense } from "react";
import { ChaosView } from "@/components/chaos/chaos-view";
import { pageDeployment, type PageSearchParams } from "@/lib/deployments/page";

export const dynamic = "force-dynamic";

export default async function ChaosPage({ searchParams }: { searchParams: PageSearchParams }) {
  // Without ?deployment=, the sandbox: the one deployment chaos acts on.
  const { collector } = await pageDeployment(searchParams, "chaos");
  return (
    <Suspense fallback={null}>
      <ChaosView initialSnapshot={collector.snapshot()} />
    </Suspense>
  );
}
