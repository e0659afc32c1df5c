"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { DeploymentSummary } from "@/lib/deployments/types";

/**
 * Which deployment the console shows, when it watches more than one. The choice lives in the URL
 * (`?deployment=name`) so a link shows what the sender saw; the nav carries it from page to page.
 * A plain GET form underneath, so it also works before the page's JS has loaded.
 */
export function DeploymentSwitcher({ deployments }: { deployments: DeploymentSummary[] }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  if (deployments.length < 2) return null;
  // The fleet shows every deployment: the switcher says so, and choosing one opens it.
  const onFleet = pathname === "/fleet";
  const current = onFleet ? "" : (params.get("deployment") ?? deployments.find((d) => d.default)?.name ?? deployments[0].name);
  const choose = (name: string) => {
    const next = new URLSearchParams(params.toString());
    next.set("deployment", name);
    // The fleet shows them all: choosing one opens its Overview.
    router.push(`${onFleet ? "/" : pathname}?${next.toString()}`);
  };
  return (
    <form action={pathname} method="get" data-testid="deployment-switcher" className="flex items-center gap-2 text-sm">
      <label htmlFor="deployment-select" className="sr-only">
        Deployment
      </label>
      <select
        id="deployment-select"
        name="deployment"
        value={current}
        onChange={(e) => choose(e.target.value)}
        className="rounded-md bg-panel-2 px-2 py-1.5 font-semibold text-text ring-1 ring-line hover:ring-accent"
      >
        {onFleet && <option value="">all {deployments.length} deployments</option>}
        {deployments.map((d) => (
          <option key={d.name} value={d.name} data-testid={`deployment-option-${d.name}`}>
            {d.name}
            {d.readOnly ? " (read-only)" : " (sandbox)"}
          </option>
        ))}
      </select>
      {params.get("present") === "1" && <input type="hidden" name="present" value="1" />}
      <noscript>
        <button type="submit" className="rounded-md px-2 py-1.5 ring-1 ring-line">
          Show
        </button>
      </noscript>
    </form>
  );
}
