"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { carriedSearch } from "./carried-params";
import { NAV_ITEMS } from "./nav-items";

/** `fleet`: the console watches several deployments (the Fleet area leads, and is the landing page). */
export function Nav({ fleet = false, defaultDeployment }: { fleet?: boolean; defaultDeployment?: string }) {
  const pathname = usePathname();
  const search = useSearchParams();
  // Presentation mode and the chosen deployment travel with the user from page to page.
  const suffix = carriedSearch(search);
  const items = fleet ? [{ href: "/fleet", label: "Fleet" }, ...NAV_ITEMS] : NAV_ITEMS;
  // With a fleet, "/" without a deployment is the fleet: the Overview link names the default one instead.
  const overviewSuffix = fleet && !search.get("deployment") && defaultDeployment ? carriedSearch(withDeployment(search, defaultDeployment)) : suffix;
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-0.5">
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href + (item.href === "/" ? overviewSuffix : item.href === "/fleet" ? presentOnly(search) : suffix)}
            aria-current={active ? "page" : undefined}
            // Smaller below 2xl: brand, switcher, nine areas, Present and the login hold one line at 1440 px.
            className={`rounded-md px-2 py-1.5 text-sm font-medium transition-colors 2xl:px-2.5 2xl:text-base ${
              active ? "bg-panel-2 text-text ring-1 ring-line" : "text-muted hover:bg-panel hover:text-text"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}

function withDeployment(search: URLSearchParams, name: string): URLSearchParams {
  const next = new URLSearchParams(search.toString());
  next.set("deployment", name);
  return next;
}

/** The fleet shows every deployment: only presentation mode travels there. */
function presentOnly(search: URLSearchParams): string {
  return search.get("present") === "1" ? "?present=1" : "";
}
