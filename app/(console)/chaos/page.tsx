import { Suspense } from "react";
import { ChaosView } from "@/components/chaos/chaos-view";
import { getCollector } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

export default function ChaosPage() {
  return (
    <Suspense fallback={null}>
      <ChaosView initialSnapshot={getCollector().snapshot()} />
    </Suspense>
  );
}
