/**
 * DNS rebinding guard: a page on evil.example whose name is re-pointed at 127.0.0.1 reaches the
 * console with `Host: evil.example`, and its Origin matches that Host, so an origin check alone
 * lets it read every GET. Only loopback names and CONSOLE_ALLOWED_HOSTS may address the console.
 * Pure (the edge proxy for pages and the API routes both call it).
 */

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** host[:port] entries from CONSOLE_ALLOWED_HOSTS (comma separated), lower case. */
export function allowedHostsFrom(env: string | undefined): string[] {
  return (env ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

function splitHost(host: string): { name: string; port: string | null } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  return m ? { name: m[1], port: m[2] ?? null } : { name: host, port: null };
}

/** Whether a request's Host header may address the console. */
export function hostAllowed(hostHeader: string | null, allowed: string[]): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.trim().toLowerCase();
  const { name } = splitHost(host);
  if (LOOPBACK.has(name)) return true;
  // An entry with a port must match exactly; one without a port allows that name on any port.
  return allowed.some((a) => a === host || (!a.includes(":") && a === name));
}

export const MISDIRECTED_HINT =
  "The console answers only to 127.0.0.1, localhost and [::1]. Add the name you use to CONSOLE_ALLOWED_HOSTS (e.g. CONSOLE_ALLOWED_HOSTS=console.internal:3000) and restart it.";

/** A 421 for a Host that may not address the console, or null. */
export function refuseForeignHost(request: Request): Response | null {
  const host = request.headers.get("host");
  if (hostAllowed(host, allowedHostsFrom(process.env.CONSOLE_ALLOWED_HOSTS))) return null;
  return Response.json(
    { error: `host "${(host ?? "").slice(0, 100)}" is not allowed to address this console`, hint: MISDIRECTED_HINT },
    { status: 421, headers: { "Cache-Control": "no-store" } },
  );
}
