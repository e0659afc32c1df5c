import { NextResponse, type NextRequest } from "next/server";
import { refuseForeignHost } from "./lib/http/host-allowlist";

/**
 * Security headers on every response, and a fresh CSP nonce per page request: Next reads the
 * nonce from the request's CSP header and stamps it on its own scripts, so no inline script
 * runs without it. Styles allow inline attributes (charts and bars set widths inline).
 */
export function proxy(request: NextRequest) {
  // DNS rebinding: pages too answer only to loopback names and CONSOLE_ALLOWED_HOSTS.
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV !== "production";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  return response;
}

// Pages only: the API's headers are static and set in next.config.js, since running this per
// request halved /api/snapshot's throughput (npm run bench).
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/).*)" }],
};
