import { AppShell } from "@/components/shell/app-shell";
import { QueryProvider } from "@/components/providers/query-provider";
import { OperatorBadge } from "@/components/auth/operator-badge";
import { PresentToggle } from "@/components/shell/present-toggle";
import { RecordsBanner } from "@/components/shell/records-banner";
import { getDeployments } from "@/lib/collector/instance";
import { recordsStatus } from "@/lib/store/instance";
import { Suspense } from "react";

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  return (
    <QueryProvider>
      <AppShell
        deployments={getDeployments().summaries()}
        banner={<RecordsBanner initial={recordsStatus()} />}
        status={
          <Suspense fallback={null}>
            <div className="flex items-center gap-2">
              <PresentToggle />
              <OperatorBadge />
            </div>
          </Suspense>
        }
      >
        {children}
      </AppShell>
    </QueryProvider>
  );
}
