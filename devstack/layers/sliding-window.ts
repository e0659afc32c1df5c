/**
 * The pure half of L1's sliding-window rate limit. Each request adds one member (scored by
 * its time) to the tenant's ZSET; members older than the window are trimmed first, so the
 * set's size is the number of requests in the last window, this one included.
 */

/** Every tenant's window; the limit per window comes from the tenant config. */
export const RATE_WINDOW_MS = 1000;
/** The limit a tenant gets when first seen. */
export const DEFAULT_TENANT_LIMIT = 1000;

/** Scores at or below this are outside the window that ends at `now`. */
export function windowStart(now: number, windowMs = RATE_WINDOW_MS): number {
  return now - windowMs;
}

/** A member unique per request, even for two requests in the same millisecond. */
export function windowMember(now: number, random: () => number = Math.random): string {
  return `${now}-${random().toString(36).slice(2, 10)}`;
}

/** The decision for a request, given the window's size after adding it. */
export function rateDecision(countWithThis: number, limit: number): { allowed: boolean; remaining: number } {
  return { allowed: countWithThis <= limit, remaining: Math.max(0, limit - countWithThis) };
}

/** The tenant's limit from its config hash value; anything unusable falls back to the default. */
export function tenantLimit(raw: string | null | undefined): number {
  const n = Number(raw);
  return raw != null && Number.isInteger(n) && n > 0 ? n : DEFAULT_TENANT_LIMIT;
}
