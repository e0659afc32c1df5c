import "server-only";
/** The optional Prometheus behind long chart ranges: PROMETHEUS_URL, read once per process. */
import { ConfigError } from "../config/load";
import { parsePrometheusUrl, type PrometheusTarget } from "./url";

let parsed: { raw: string | undefined; target: PrometheusTarget | null } | null = null;

/** The configured Prometheus, or null without PROMETHEUS_URL; throws ConfigError (without the URL) when it is malformed. */
export function prometheusSource(): PrometheusTarget | null {
  const raw = process.env.PROMETHEUS_URL || undefined;
  if (parsed && parsed.raw === raw) return parsed.target;
  if (!raw) {
    parsed = { raw, target: null };
    return null;
  }
  const result = parsePrometheusUrl(raw, {
    bearerToken: process.env.PROMETHEUS_BEARER_TOKEN || undefined,
    timeoutMs: process.env.PROMETHEUS_TIMEOUT_MS || undefined,
  });
  if (!result.ok) throw new ConfigError(result.error);
  parsed = { raw, target: result.target };
  return result.target;
}
