import { AppShell } from "@/components/shell/app-shell";
import { QueryProvider } from "@/components/providers/query-provider";
import { OperatorBadge } from "@/components/auth/operator-badge";
import { Suspense } from "react";

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  return (
    <QueryProvider>
      <AppShell
        status={
          <Suspense fallback={null}>
            <OperatorBadge />
          </Suspense>
        }
      >
        {children}
      </AppShell>
    </QueryProvider>
  );
}
