import { NextResponse, type NextRequest } from "next/server";
import { exposureReasons } from "./lib/auth/exposure-reasons";
import { refuseForeignHost } from "./lib/http/host-allowlist";

/** lib/auth/session.ts's viewer cookie (the proxy does not import server-only modules). */
const VIEWER_COOKIE = "rrc_viewer";

/**
 * Security headers on every response, and a fresh CSP nonce per page request: Next reads the
 * nonce from the request's CSP header and stamps it on its own scripts, so no inline script
 * runs without it. Styles allow inline attributes (charts and bars set widths inline).
 */
export function proxy(request: NextRequest) {
  // DNS rebinding: pages too answer only to loopback names and CONSOLE_ALLOWED_HOSTS.
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const viewer = viewerRoute(request);
  if (viewer) return viewer;
  const unsigned = signInFirst(request);
  if (unsigned) return unsigned;
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
  // The console's layout reads it: a page that needs a sign-in sends the browser to /login, the login page does not.
  requestHeaders.set("x-rrc-pathname", request.nextUrl.pathname);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  return response;
}

/** Where a browser without any credential may go when reads need one: signing in, and opening a viewer link. */
const OPEN_PAGES = /^\/(login|present\/[^/]+)\/?$/;
const CREDENTIAL_COOKIE = /(?:^|;\s*)(?:__Host-)?rrc_operator=/;

/**
 * When the console can be reached from elsewhere (lib/auth/exposure.ts) a page request that
 * carries no credential at all is a 401 with the way to sign in; one with a cookie goes on to the
 * page, which checks it on the server (lib/auth/page-access.ts). The proxy cannot read the store.
 */
function signInFirst(request: NextRequest): NextResponse | null {
  const reasons = exposureReasons({
    listenHost: process.env.RRC_LISTEN_HOST,
    allowedHosts: process.env.CONSOLE_ALLOWED_HOSTS,
    trustProxy: process.env.TRUST_PROXY,
    oidc: process.env.RRC_OIDC === "1",
  });
  if (reasons.length === 0 || OPEN_PAGES.test(request.nextUrl.pathname)) return null;
  if (CREDENTIAL_COOKIE.test(request.headers.get("cookie") ?? "") || request.headers.has("authorization")) return null;
  const next = encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search);
  return new NextResponse(
    `<!doctype html><meta charset="utf-8"><title>Sign in needed</title><body style="font-family:sans-serif;background:#0b0f14;color:#e6edf3;padding:3rem"><h1>Sign in needed</h1><p>This console can be reached from the network, so every page needs a session. <a style="color:#58a6ff" href="/login?next=${next}">Sign in</a>.</p></body>`,
    {
      status: 401,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
      },
    },
  );
}

/**
 * A viewer session (a tenant-facing link, lib/auth/viewer-links.ts) sees nothing unredacted: its
 * pages get presentation mode, and every request is answered by the redacting gateway, which asks
 * the console itself without the viewer's cookie (so the gateway's own request passes through here
 * as an ordinary one). The gateway sets the page's CSP: its nonce is the one in the page.
 */
function viewerRoute(request: NextRequest): NextResponse | null {
  if (!request.cookies.has(VIEWER_COOKIE)) return null;
  const { pathname, search, searchParams } = request.nextUrl;
  if (pathname.startsWith("/present/")) return null;
  // The gateway sets its answer's headers itself (the page's CSP among them): pass it through untouched.
  if (pathname === "/api/viewer-gateway") return NextResponse.next();
  const isPage = !pathname.startsWith("/api/") && !/\.[a-z0-9]+$/i.test(pathname);
  if (isPage && searchParams.get("present") !== "1" && !request.headers.has("rsc")) {
    const url = request.nextUrl.clone();
    url.searchParams.set("present", "1");
    return NextResponse.redirect(url, 307);
  }
  const headers = new Headers(request.headers);
  headers.set("x-rrc-viewer-path", pathname + search);
  return NextResponse.rewrite(new URL("/api/viewer-gateway", request.url), { request: { headers } });
}

// Pages, and the API only for viewer sessions: the API's headers are static and set in
// next.config.js, since running this per request halved /api/snapshot's throughput (npm run bench).
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/).*)" }, { source: "/api/:path*", has: [{ type: "cookie", key: "rrc_viewer" }] }],
};
