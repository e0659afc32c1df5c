"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { carriedSearch } from "./carried-params";
import { NAV_ITEMS } from "./nav-items";

export function Nav() {
  const pathname = usePathname();
  const search = useSearchParams();
  // Presentation mode and the chosen deployment travel with the user from page to page.
  const suffix = carriedSearch(search);
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-1">
      {NAV_ITEMS.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href + suffix}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-base font-medium transition-colors ${
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
