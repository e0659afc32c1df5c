import "server-only";
/**
 * Runs a layer's probe from its config: the requests in order, each later one able to use a
 * value from an earlier JSON answer, under one deadline for the whole probe (a hung layer costs
 * at most its timeout and never delays the others). The rules then name the state seen.
 * Header values from the environment are sent and never recorded.
 */
import type { LayerConfig } from "../config/schema";
import { fillBody, fillTemplate, headerNamesOf, jsonPathsOf, matchState, summarizeRequests, valueAt } from "../config/probe-match";
import type { ProbeConfig, ProbeRequestConfig } from "../config/probe-schema";
import type { LayerObservation, ProbeRequest } from "../snapshot/types";
import { fetchWithin } from "../http/fetch-within";

/** An answer this late is called slow (a healthy layer answers in milliseconds; a platform client's Redis timeout is 0.5–1 s). */
const SLOW_ANSWER_MS = 400;

/** Headers worth showing even when no rule reads them: they say what the layer decided. */
const CONTRACT_HEADERS = ["x-ratelimit-status", "x-ratelimit-remaining", "x-cache", "x-redis-error"];

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Says why a request got no answer, in words an SRE can act on. */
export function describeFetchError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "no answer before the probe deadline (hung or overloaded)";
  const code = e?.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused (layer down)";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "ENOTFOUND") return "host name does not resolve";
  return e?.message ?? String(err);
}

/** The request's headers, env values filled in; `missing` names an unset variable (the value itself is never returned to a caller that records). */
function requestHeaders(spec: ProbeRequestConfig): { headers: Record<string, string>; missing?: string } {
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(spec.headers ?? {})) {
    if (typeof v === "string") headers[name] = v;
    else {
      const value = process.env[v.env];
      if (!value) return { headers, missing: `environment variable ${v.env} is not set` };
      headers[name] = (v.prefix ?? "") + value;
    }
  }
  return { headers };
}

/** Keeps only primitives (a whole object could be large or private). */
const keepable = (v: unknown) =>
  v === null || ["string", "number", "boolean"].includes(typeof v) ? v : v === undefined ? undefined : JSON.stringify(v).slice(0, 80);

/** One request of a probe; `deadline` (epoch ms) is the whole probe's, shared by its requests. */
async function send(probe: ProbeConfig, spec: ProbeRequestConfig, base: string, answers: Map<string, unknown>, deadline: number): Promise<ProbeRequest> {
  const path = fillTemplate(spec.path, answers, encodeURIComponent);
  const body = spec.body === undefined ? { body: undefined } : fillBody(spec.body, answers);
  const headers = requestHeaders(spec);
  const rec: ProbeRequest = { name: spec.name, method: spec.method, path: path.text, status: null };
  const missing = path.missing ?? body.missing;
  if (missing) return { ...rec, skipped: `no value for ${missing}` };
  if (headers.missing) return { ...rec, skipped: headers.missing };
  try {
    const { res, text } = await fetchWithin(
      base + path.text,
      {
        method: spec.method,
        headers: { ...(body.body === undefined ? {} : { "content-type": "application/json" }), ...headers.headers },
        body: body.body === undefined ? undefined : JSON.stringify(body.body),
        cache: "no-store",
        // A redirect is the layer's answer, judged as such: following it would re-send the probe's
        // secret headers (x-api-key, apikey) to wherever the Location points.
        redirect: "manual",
      },
      Math.max(deadline - Date.now(), 1),
      async (r) => ({ res: r, text: await r.text() }),
    );
    const json = safeJson(text);
    answers.set(spec.name, json);
    const seenHeaders: Record<string, string> = {};
    for (const h of new Set([...headerNamesOf(probe, spec.name), ...CONTRACT_HEADERS])) {
      const v = res.headers.get(h);
      if (v !== null) seenHeaders[h] = v;
    }
    const paths = jsonPathsOf(probe, spec.name);
    return {
      ...rec,
      status: res.status,
      ...(Object.keys(seenHeaders).length ? { headers: seenHeaders } : {}),
      ...(paths.length ? { json: Object.fromEntries(paths.map((p) => [p, keepable(valueAt(json, p))])) } : {}),
    };
  } catch (err) {
    // A malformed header value is quoted in fetch's own message: never let a key through that way.
    const secrets = Object.values(headers.headers).filter((v) => v.length >= 4);
    return { ...rec, error: secrets.reduce((m, v) => m.split(v).join("[redacted]"), describeFetchError(err)) };
  }
}

/** Probes one layer with real requests; never throws, never exceeds the probe's deadline. */
export async function probeLayer(layer: LayerConfig, defaultTimeoutMs: number): Promise<LayerObservation> {
  const { probe } = layer;
  const at = new Date().toISOString();
  const started = performance.now();
  const deadline = Date.now() + (probe.timeoutMs ?? defaultTimeoutMs);
  const base = layer.url.replace(/\/$/, "");
  const answers = new Map<string, unknown>();
  const requests: ProbeRequest[] = [];
  for (const spec of probe.requests) requests.push(await send(probe, spec, base, answers, deadline));
  // Answers that did arrive are evidence too; "unreachable" only when nothing answered.
  const reachable = requests.some((r) => r.status !== null);
  const error = requests.find((r) => r.error)?.error;
  const { state, rules } = matchState(probe, requests);
  const latencyMs = reachable ? Math.round(performance.now() - started) : null;
  // A layer that waited out its own Redis timeout answered late: the answer is the evidence, the wait is worth saying.
  const slow = latencyMs !== null && latencyMs >= SLOW_ANSWER_MS ? ` · slow: answered in ${(latencyMs / 1000).toFixed(1)} s` : "";
  return {
    reachable,
    ...(error ? { error } : {}),
    latencyMs,
    requests,
    state: reachable ? state : "unavailable",
    rules,
    summary: reachable
      ? summarizeRequests(probe, requests) + slow
      : `layer not answering: ${error ?? requests.find((r) => r.skipped)?.skipped ?? "no response"}`,
    at,
    everyMs: probe.everyMs ?? null,
  };
}

/**
 * One prober per collector (so per server process and deployment, whatever the number of
 * viewers): a probe with `everyMs` runs at most once per `everyMs`, and its last result is
 * reused in between; one without runs on every look. A probe still out is never doubled: a
 * hung layer costs one request at a time, however many looks come while it hangs.
 */
export class LayerProber {
  private last = new Map<string, { startedAt: number; result: Promise<LayerObservation>; done: boolean }>();
  private landed = new Map<string, LayerObservation>();

  private key(layer: LayerConfig): string {
    return `${layer.id} ${layer.url}`;
  }

  observe(layer: LayerConfig, defaultTimeoutMs: number, now = Date.now()): Promise<LayerObservation> {
    const key = this.key(layer);
    const every = layer.probe.everyMs;
    const prev = this.last.get(key);
    // A probe out is never doubled: each of its requests holds the probe's deadline (fetchWithin).
    if (prev && !prev.done) return prev.result;
    if (every && prev && now - prev.startedAt < every) return prev.result;
    const entry = { startedAt: now, result: probeLayer(layer, defaultTimeoutMs), done: false };
    entry.result = entry.result.then((o) => {
      entry.done = true;
      this.landed.set(key, o);
      return o;
    });
    this.last.set(key, entry);
    return entry.result;
  }

  /** The last result that came back (null before the first). */
  latest(layer: LayerConfig): LayerObservation | null {
    return this.landed.get(this.key(layer)) ?? null;
  }

  /** How long the probe out now has been waiting for its answer (null: none is out). */
  waitingMs(layer: LayerConfig, now = Date.now()): number | null {
    const e = this.last.get(this.key(layer));
    return e && !e.done ? now - e.startedAt : null;
  }
}
