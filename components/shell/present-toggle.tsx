"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** Presentation mode for tenant demos: hides addresses, ports, key names and chaos controls. */
export function PresentToggle() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const on = params.get("present") === "1";
  // Everything else in the URL (deployment, range) stays as it is.
  const toggled = () => {
    const next = new URLSearchParams(params.toString());
    if (on) next.delete("present");
    else next.set("present", "1");
    const query = next.toString();
    return query ? `${pathname}?${query}` : pathname;
  };
  return (
    <button
      type="button"
      data-testid="present-toggle"
      aria-pressed={on}
      onClick={() => router.replace(toggled())}
      className={`rounded-md px-3 py-1.5 text-sm font-semibold ring-1 ${on ? "bg-accent/20 text-accent ring-accent/50" : "text-muted ring-line hover:text-text"}`}
      title="Presentation mode hides addresses, ports, key names and chaos controls"
    >
      {on ? "Presenting" : "Present"}
    </button>
  );
}
