"use client";

import { useSearchParams } from "next/navigation";

/** Presentation mode for tenant demos: `?present=1` hides addresses, ports, key names and chaos controls. */
export function usePresentMode(): boolean {
  return useSearchParams().get("present") === "1";
}

/** An address as it may be shown: hidden in presentation mode. */
export function shownAddr(addr: string | null | undefined, present: boolean): string {
  if (!addr) return "—";
  return present ? "•••" : addr;
}
