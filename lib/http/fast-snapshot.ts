import "server-only";
/**
 * GET /api/snapshot answered before Next's router: the one route every poller hits, whose bytes
 * are already serialized once per push. The router costs about a millisecond per request, which
 * is most of this answer (npm run bench compares it with a bare node:http server). Everything
 * that is not the plain case falls through to the route handler (app/api/snapshot/route.ts),
 * which answers it exactly as before: a console reachable from elsewhere (every read is
 * authenticated there), a viewer session and the redacting gateway's own request, a Host outside
 * the allowlist (421), a bad or unknown `?deployment=` (400/404), another method, a trailing slash.
 * The custom server (scripts/serve.mjs) calls it through a global, since it lives outside the bundle.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readsNeedCredential } from "../auth/exposure";
import { GATEWAY_HEADER } from "../auth/gateway-mark";
import { lookupDeployment } from "../deployments/resolve";
import { API_SECURITY_HEADERS } from "./api-headers.mjs";
import { allowedHostsFrom, hostAllowed } from "./host-allowlist";
import { NO_STORE } from "./responses";

export const FAST_PATH_KEY = Symbol.for("rrc.fast-path");

const HEADERS: Record<string, string> = {
  ...Object.fromEntries(API_SECURITY_HEADERS.map((h) => [h.key, h.value])),
  ...NO_STORE,
  "Content-Type": "application/json",
};
const VIEWER_COOKIE = /(?:^|;\s*)rrc_viewer=/;
/** The process's environment does not change: parsed once, not per request. */
let allowed: string[] | null = null;
let exposed: boolean | null = null;
/** The header list for the bytes last sent: built once per push, not per request. */
let headersFor: { body: Buffer; headers: Record<string, string> } | null = null;

/** Answers the request and returns true, or returns false and leaves it untouched for Next. */
export function fastSnapshot(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  if ((q < 0 ? url : url.slice(0, q)) !== "/api/snapshot") return false;
  if (VIEWER_COOKIE.test(req.headers.cookie ?? "")) return false;
  // The redacting gateway asking for a viewer link: its grant (one deployment) is checked by the route.
  if (req.headers[GATEWAY_HEADER] !== undefined) return false;
  // Reachable from elsewhere: every read needs a credential, which the route's guard checks (the store may be asked).
  if ((exposed ??= readsNeedCredential())) return false;
  allowed ??= allowedHostsFrom(process.env.CONSOLE_ALLOWED_HOSTS);
  if (!hostAllowed(req.headers.host ?? null, allowed)) return false;
  const names = q < 0 ? [] : new URLSearchParams(url.slice(q + 1)).getAll("deployment");
  if (names.length > 1) return false;
  const found = lookupDeployment(names[0]);
  if (!found.ok) return false;
  const body = found.deployment.collector.snapshotBytes();
  if (headersFor?.body !== body) headersFor = { body, headers: { ...HEADERS, "Content-Length": String(body.length) } };
  res.writeHead(200, headersFor.headers);
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

/** Offers the fast path to the custom server (under `next start` nobody asks, and the route answers). */
export function offerFastPath(): void {
  (globalThis as Record<symbol, unknown>)[FAST_PATH_KEY] = fastSnapshot;
}
