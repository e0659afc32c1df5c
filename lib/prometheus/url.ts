/**
 * PROMETHEUS_URL, split into what requests use and what may be shown. Credentials in the URL
 * (`https://user:pass@host`) become a Basic header and never appear in `display`, a response,
 * a page or a log. Pure.
 */
export interface PrometheusTarget {
  /** Origin and path prefix, no credentials, no query: where `/api/v1/…` is appended. */
  baseUrl: string;
  /** The same, for people: what the Memory page and /api/deployments show. */
  display: string;
  /** An Authorization header value, or null. */
  authorization: string | null;
  timeoutMs: number;
}

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 5000;

/** Parses PROMETHEUS_URL (and an optional bearer token); the error never repeats the value, which may hold a password. */
export function parsePrometheusUrl(
  raw: string,
  opts: { bearerToken?: string; timeoutMs?: string } = {},
): { ok: true; target: PrometheusTarget } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, error: "PROMETHEUS_URL is not a URL: give the server's base URL, e.g. http://127.0.0.1:9090" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, error: `PROMETHEUS_URL must be http or https, not ${url.protocol.replace(":", "")}` };
  const timeoutMs = opts.timeoutMs ? Number(opts.timeoutMs) : DEFAULT_PROMETHEUS_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
    return { ok: false, error: "PROMETHEUS_TIMEOUT_MS must be a whole number of milliseconds between 100 and 60000" };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const authorization = opts.bearerToken
    ? `Bearer ${opts.bearerToken}`
    : user || password
      ? `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`
      : null;
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  return { ok: true, target: { baseUrl: base, display: base, authorization, timeoutMs } };
}
