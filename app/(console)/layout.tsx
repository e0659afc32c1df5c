import { AppShell } from "@/components/shell/app-shell";
import { QueryProvider } from "@/components/providers/query-provider";
import { OperatorBadge } from "@/components/auth/operator-badge";
import { PresentToggle } from "@/components/shell/present-toggle";
import { RecordsBanner } from "@/components/shell/records-banner";
import { pagePrincipal } from "@/lib/auth/page-access";
import { roleOn } from "@/lib/auth/roles";
import { getDeployments } from "@/lib/collector/instance";
import { recordsStatus } from "@/lib/store/instance";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Suspense } from "react";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // Only the deployments this person may see are named (the login page included); without any
  // grant, every page but the login page sends the browser to sign in, before anything renders.
  const grants = (await pagePrincipal())?.grants ?? [];
  if (grants.length === 0 && (await headers()).get("x-rrc-pathname") !== "/login") redirect("/login");
  const deployments = getDeployments()
    .summaries()
    .filter((d) => roleOn(grants, d.name) !== null);
  return (
    <QueryProvider>
      <AppShell
        deployments={deployments}
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
