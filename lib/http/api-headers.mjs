/**
 * The API's security headers (pages get theirs, with a CSP nonce, from proxy.ts): JSON and SSE
 * need no script-src, so default-src 'none'. One list for next.config.js's static headers and
 * for the snapshot's fast path (lib/http/fast-snapshot.ts), which answers outside Next's router.
 */
export const API_SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];
