import "server-only";
/**
 * Sends a verification event to every configured destination: Alertmanager and webhooks. Each
 * send has a timeout and a bounded number of attempts with backoff; the outcome of each
 * destination is returned (never thrown) so the caller records a failure where people look (the
 * Schedules page) instead of losing it. Header values may be secrets: they go on the wire only,
 * never into an outcome, an error or a log line.
 */
import type { z } from "zod";
import type { NotificationsSchema } from "@/lib/config/verification-schema";
import { alertmanagerAlert, webhookBody, type VerificationEvent } from "./notification";
import { fetchWithin } from "../http/fetch-within";

type NotificationsConfig = z.infer<typeof NotificationsSchema>;
type HeaderValue = NotificationsConfig["webhooks"][number]["headers"][string];

export interface DeliveryOutcome {
  destination: string;
  ok: boolean;
  attempts: number;
  /** Why the last attempt failed: a status or a network error, never a header. */
  error?: string;
}

export interface NotifierOptions {
  consoleUrl: string;
  /** Reads a header's password source (env or file); undefined when it holds nothing. */
  secret: (value: Exclude<HeaderValue, string>, field: string) => string | undefined;
  /** First retry's wait; doubles each attempt. */
  backoffMs?: number;
}

export async function notify(event: VerificationEvent, config: NotificationsConfig, options: NotifierOptions): Promise<DeliveryOutcome[]> {
  const sends: Promise<DeliveryOutcome>[] = [];
  if (config.alertmanager) {
    const am = config.alertmanager;
    const url = `${am.url.replace(/\/+$/, "")}/api/v2/alerts`;
    sends.push(deliver("alertmanager", url, [alertmanagerAlert(event, options.consoleUrl)], am.headers, "notifications.alertmanager", config, options));
  }
  config.webhooks.forEach((hook, i) => {
    sends.push(
      deliver(
        `webhook ${hook.name}`,
        hook.url,
        webhookBody(event, hook.format, options.consoleUrl),
        hook.headers,
        `notifications.webhooks.${i}`,
        config,
        options,
      ),
    );
  });
  return Promise.all(sends);
}

async function deliver(
  destination: string,
  url: string,
  body: unknown,
  headers: Record<string, HeaderValue>,
  field: string,
  config: NotificationsConfig,
  options: NotifierOptions,
): Promise<DeliveryOutcome> {
  let resolved: Record<string, string>;
  try {
    resolved = resolveHeaders(headers, field, options);
  } catch (err) {
    return { destination, ok: false, attempts: 0, error: (err as Error).message };
  }
  let error = "";
  for (let attempt = 1; attempt <= config.attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, (options.backoffMs ?? 1000) * 2 ** (attempt - 2)));
    try {
      const res = await fetchWithin(
        url,
        { method: "POST", headers: { "content-type": "application/json", ...resolved }, body: JSON.stringify(body), redirect: "manual" },
        config.timeoutMs,
        async (r) => (await r.body?.cancel(), r),
      );
      if (res.ok) return { destination, ok: true, attempts: attempt };
      error = `answered ${res.status}`;
      // A 4xx other than 408/429 will answer the same to a retry: the body or the credentials are wrong.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return { destination, ok: false, attempts: attempt, error };
    } catch (err) {
      const e = err as Error;
      error = e.name === "TimeoutError" ? `no answer within ${config.timeoutMs} ms` : `unreachable: ${e.cause instanceof Error ? e.cause.message : e.message}`;
    }
  }
  return { destination, ok: false, attempts: config.attempts, error };
}

function resolveHeaders(headers: Record<string, HeaderValue>, field: string, options: NotifierOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = typeof value === "string" ? value : options.secret(value, `${field}.headers.${name}`);
    if (v === undefined) throw new Error(`${field}.headers.${name} is empty: its source (${typeof value === "string" ? "" : value.from}) holds nothing`);
    out[name] = v;
  }
  return out;
}
