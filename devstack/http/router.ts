/**
 * Route matching shared by the layer stand-ins and the control API. Patterns are paths with
 * `:name` segments and an optional trailing `*`; the first route that matches wins, and a path
 * known under another method answers 405 rather than 404.
 */

export interface Route<H> {
  method: string;
  pattern: string;
  handler: H;
}

export type RouteMatch<H> =
  { kind: "found"; route: Route<H>; params: Record<string, string> } | { kind: "wrong-method"; allow: string[] } | { kind: "not-found" };

/** Matches one pattern against a path; returns the params or null. */
export function matchPattern(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const got = pathname.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i] === "*") return params;
    if (i >= got.length) return null;
    if (want[i].startsWith(":")) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return want.length === got.length ? params : null;
}

/** Finds the route for a request, or says why there is none. */
export function matchRoute<H>(routes: Route<H>[], method: string, pathname: string): RouteMatch<H> {
  const allow = new Set<string>();
  for (const route of routes) {
    const params = matchPattern(route.pattern, pathname);
    if (!params) continue;
    if (route.method === method) return { kind: "found", route, params };
    allow.add(route.method);
  }
  return allow.size ? { kind: "wrong-method", allow: [...allow] } : { kind: "not-found" };
}
