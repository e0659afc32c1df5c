"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** Presentation mode for tenant demos: hides addresses, ports, key names and chaos controls. */
export function PresentToggle() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const on = params.get("present") === "1";
  return (
    <button
      type="button"
      data-testid="present-toggle"
      aria-pressed={on}
      onClick={() => router.replace(on ? pathname : `${pathname}?present=1`)}
      className={`rounded-md px-3 py-1.5 text-sm font-semibold ring-1 ${on ? "bg-accent/20 text-accent ring-accent/50" : "text-muted ring-line hover:text-text"}`}
      title="Presentation mode hides addresses, ports, key names and chaos controls"
    >
      {on ? "Presenting" : "Present"}
    </button>
  );
}
