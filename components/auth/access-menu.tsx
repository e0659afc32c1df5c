"use client";

import Link from "next/link";
import { useRef } from "react";

/**
 * Viewer links, tokens and the audit trail, folded into one header entry: with the deployment
 * switcher and a person's name beside them, three more links pushed the header onto two rows.
 */
export function AccessMenu({ admin }: { admin: boolean }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const links = [
    { href: "/viewer-links", label: "Viewer links" },
    ...(admin
      ? [
          { href: "/tokens", label: "Tokens" },
          { href: "/audit", label: "Audit" },
        ]
      : []),
  ];
  return (
    <details ref={menu} className="relative">
      <summary className="cursor-pointer list-none rounded-md px-2 py-1.5 text-sm text-muted hover:bg-panel-2 hover:text-text">Access ▾</summary>
      <nav aria-label="Access" className="absolute right-0 z-50 mt-1 flex min-w-36 flex-col rounded-md border border-line bg-panel p-1 shadow-lg">
        {links.map((l) => (
          <Link
            key={l.href}
            href={l.href}
            // A client-side navigation keeps the header: close the menu by hand.
            onClick={() => menu.current?.removeAttribute("open")}
            className="rounded px-3 py-1.5 text-sm text-muted hover:bg-panel-2 hover:text-text"
          >
            {l.label}
          </Link>
        ))}
      </nav>
    </details>
  );
}
