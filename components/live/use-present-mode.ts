"use client";

import { useSearchParams } from "next/navigation";
import { redactText } from "@/lib/present/redact";

/** Presentation mode for tenant demos: `?present=1` hides addresses, ports, key names and chaos controls. */
export function usePresentMode(): boolean {
  return useSearchParams().get("present") === "1";
}

/** An address as it may be shown: hidden in presentation mode. */
export function shownAddr(addr: string | null | undefined, present: boolean): string {
  if (!addr) return "—";
  return present ? "•••" : addr;
}

/** Free text (timeline details, evidence) with addresses, ports and key names masked in presentation mode. */
export function redact(text: string | undefined, present: boolean): string {
  if (!text) return "";
  return present ? redactText(text) : text;
}
