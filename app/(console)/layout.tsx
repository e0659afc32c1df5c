import { AppShell } from "@/components/shell/app-shell";
import { QueryProvider } from "@/components/providers/query-provider";
import { OperatorBadge } from "@/components/auth/operator-badge";
import { PresentToggle } from "@/components/shell/present-toggle";
import { getDeployments } from "@/lib/collector/instance";
import { Suspense } from "react";

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  return (
    <QueryProvider>
      <AppShell
        deployments={getDeployments().summaries()}
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
