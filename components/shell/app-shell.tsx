import { Suspense } from "react";
import type { DeploymentSummary } from "@/lib/deployments/types";
import { DeploymentSwitcher } from "./deployment-switcher";
import { Nav } from "./nav";

export function AppShell({
  children,
  status,
  deployments = [],
  banner,
}: {
  children: React.ReactNode;
  status?: React.ReactNode;
  deployments?: DeploymentSummary[];
  /** Under the header on every page (records not being saved). */
  banner?: React.ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-line bg-panel">
        {/* 2xl, not 7xl: brand, switcher, nine areas and the status hold on one line at 1440 px (fleet.test.ts measures it). */}
        <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-6 py-3">
          <div className="flex items-center gap-3">
            <span aria-hidden className="inline-block h-3 w-3 rotate-45 rounded-sm bg-accent" />
            <span className="text-lg font-semibold tracking-tight">Redis Resilience Console</span>
            <Suspense fallback={null}>
              <DeploymentSwitcher deployments={deployments} />
            </Suspense>
          </div>
          <Suspense fallback={null}>
            <Nav fleet={deployments.length > 1} defaultDeployment={deployments.find((d) => d.default)?.name} />
          </Suspense>
          {status}
        </div>
      </header>
      {banner}
      <main className="mx-auto w-full max-w-screen-2xl flex-1 px-6 py-6">{children}</main>
    </div>
  );
}
