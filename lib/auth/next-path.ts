/**
 * Where a login may send the browser next: a path of this console only. `//evil.example`,
 * `/\evil.example`, `https://…` and paths with control characters (browsers drop tabs and
 * newlines, turning `/\t/evil` into `//evil`) fall back to the Chaos page. Pure, client-safe.
 */
export function safeNextPath(next: string | null, fallback = "/chaos"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;

  if (/[\u0000-\u001f\u007f\s\\]/.test(next)) return fallback;
  return next;
}
