import { Suspense } from "react";
import { SchedulesView } from "@/components/schedules/schedules-view";

export const dynamic = "force-dynamic";

export default function SchedulesPage() {
  return (
    <Suspense fallback={null}>
      <SchedulesView />
    </Suspense>
  );
}
