/**
 * What a tenant-facing viewer may not see: addresses, ports, host names and key names. Applied
 * by the server to every byte a viewer session receives (pages, RSC payloads, API answers, the
 * stream), so hiding them does not depend on the browser. Pure; the UI's presentation mode
 * masks with the same patterns.
 */
export const MASK = "•••";

const ADDRESS = /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b|\blocalhost:\d{1,5}\b|\[[0-9a-f]*:[0-9a-f]*:[0-9a-f:]*\](?::\d{1,5})?|\bport \d{2,5}\b/gi;
const KEY_NAME = /\b(?:l1|l2|l3|cp|chaos|rrc):[\w:.{}-]+/g;

const UTF8 = new TextEncoder();

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The same number of UTF-8 bytes as `match`, in dots ("•" is 3 bytes): React's RSC payload
 * frames text rows by their byte length, so a shorter mask would corrupt the page it is in.
 */
export function sameLengthMask(match: string): string {
  // TextEncoder, not Buffer: this module is in every page's client bundle (presentation mode), and a
  // Buffer there pulls Node's buffer polyfill (~7 kB gzip) into the JS every page loads first.
  const bytes = UTF8.encode(match).length;
  return "•".repeat(Math.floor(bytes / 3)) + " ".repeat(bytes % 3);
}

/** A redactor for free text: the generic patterns plus this deployment's own host names. */
export function textRedactor(hostNames: string[] = [], mask: string | ((match: string) => string) = MASK): (text: string) => string {
  const names = [...new Set(hostNames.filter((h) => h && !/^[\d.]+$/.test(h) && h !== "localhost"))].sort((a, b) => b.length - a.length);
  const hosts = names.length ? new RegExp(`\\b(?:${names.map(escapeRe).join("|")})(?::\\d{1,5})?\\b`, "gi") : null;
  const m = typeof mask === "string" ? () => mask : mask;
  return (text) => {
    let out = text.replace(ADDRESS, m).replace(KEY_NAME, m);
    if (hosts) out = out.replace(hosts, m);
    return out;
  };
}

/** Free text with addresses, ports and key names masked (no deployment host names known). */
export const redactText = textRedactor();
