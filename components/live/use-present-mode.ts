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

const ADDRESS = /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b|\blocalhost:\d{1,5}\b|\bport \d{2,5}\b/g;
const KEY_NAME = /\b(?:l1|l2|l3|cp|chaos):[\w:.-]+/g;

/** Free text (timeline details, evidence) with addresses, ports and key names masked in presentation mode. */
export function redact(text: string | undefined, present: boolean): string {
  if (!text) return "";
  return present ? text.replace(ADDRESS, "•••").replace(KEY_NAME, "•••") : text;
}
