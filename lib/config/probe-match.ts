/**
 * The pure half of a probe: templates from earlier answers, and the rules that turn what each
 * request saw into a state, with the evidence (what each condition expected, what was seen).
 * Client-safe and free of I/O, so the rules are unit-tested without a network.
 */
import type { ConditionResult, LayerObservation, ProbeRequest } from "../snapshot/types";
import { PROBE_STATES, TEMPLATE, type ProbeConditionConfig, type ProbeConfig, type ProbeState } from "./probe-schema";

/** The value at a dot path ("session.id", "choices.0.text"), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Replaces `{request.path}` in `text`; `missing` names the first reference without a value. */
export function fillTemplate(text: string, answers: Map<string, unknown>, encode: (s: string) => string = (s) => s): { text: string; missing?: string } {
  let missing: string | undefined;
  const out = text.replace(TEMPLATE, (whole, name: string, dotted: string) => {
    const v = valueAt(answers.get(name), dotted.slice(1));
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return encode(String(v));
    missing ??= whole;
    return whole;
  });
  return missing ? { text: out, missing } : { text: out };
}

/** Fills templates in every string of a JSON body. */
export function fillBody(body: unknown, answers: Map<string, unknown>): { body: unknown; missing?: string } {
  let missing: string | undefined;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const r = fillTemplate(v, answers);
      missing ??= r.missing;
      return r.text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(body);
  return missing ? { body: out, missing } : { body: out };
}

const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

function statusHolds(want: NonNullable<ProbeConditionConfig["status"]>, got: number): boolean {
  if (typeof want === "number") return got === want;
  if (Array.isArray(want)) return want.includes(got);
  return Math.floor(got / 100) === Number(want[0]);
}

function statusText(r: ProbeRequest): string {
  if (r.skipped) return `skipped (${r.skipped})`;
  if (r.status === null) return `no answer (${r.error ?? "error"})`;
  return String(r.status);
}

/** What a condition asks for, in the words the card shows. */
export function describeCondition(c: ProbeConditionConfig): string {
  const parts: string[] = [];
  if (c.error !== undefined) parts.push(c.error ? "no answer" : "an answer");
  if (c.status !== undefined) parts.push(Array.isArray(c.status) ? c.status.join(" or ") : String(c.status));
  for (const [name, v] of Object.entries(c.header ?? {})) parts.push(v === null ? `no ${name} header` : v === "*" ? `a ${name} header` : `${name}: ${v}`);
  if (c.json) parts.push(`${c.json.path} = ${JSON.stringify(c.json.equals)}`);
  return `${c.request} ${parts.join(", ")}`;
}

/** Judges one condition against the request it names; never throws. */
export function evaluateCondition(c: ProbeConditionConfig, requests: ProbeRequest[]): ConditionResult {
  const expect = describeCondition(c);
  const r = requests.find((x) => x.name === c.request);
  if (!r) return { request: c.request, expect, seen: `${c.request} not sent`, holds: false };
  if (r.skipped) return { request: c.request, expect, seen: `${c.request} ${statusText(r)}`, holds: false };
  const seen: string[] = [];
  let holds = true;
  if (c.error !== undefined) {
    holds &&= (r.status === null) === c.error;
    if (c.status === undefined) seen.push(r.status === null ? `no answer (${r.error ?? "error"})` : `answered ${r.status}`);
  }
  if (c.status !== undefined || (c.error === undefined && (c.header || c.json))) seen.push(statusText(r));
  if (c.status !== undefined) holds &&= r.status !== null && statusHolds(c.status, r.status);
  for (const [name, want] of Object.entries(c.header ?? {})) {
    const got = r.headers?.[name.toLowerCase()];
    seen.push(`${name}: ${got ?? "(none)"}`);
    holds &&= want === null ? got === undefined : got !== undefined && (want === "*" || got === want);
  }
  if (c.json) {
    const got = r.json?.[c.json.path];
    seen.push(`${c.json.path} = ${show(got)}`);
    holds &&= r.status !== null && got === c.json.equals;
  }
  return { request: c.request, expect, seen: `${c.request} ${seen.join(", ")}`, holds };
}

/** Tries the states in order unavailable, degraded, ok; none holding is "unknown". */
export function matchState(probe: ProbeConfig, requests: ProbeRequest[]): { state: ProbeState | "unknown"; rules: LayerObservation["rules"] } {
  const rules: LayerObservation["rules"] = {};
  let state: ProbeState | "unknown" = "unknown";
  for (const s of PROBE_STATES) {
    const conditions = probe.states[s];
    if (!conditions) continue;
    const results = conditions.map((c) => evaluateCondition(c, requests));
    rules[s] = results;
    if (state === "unknown" && results.every((r) => r.holds)) state = s;
  }
  return { state, rules };
}

/** Header names as the config writes them (X-RateLimit-Status), per request, for the summary. */
function shownHeaders(probe: ProbeConfig, request: string): string[] {
  const names = new Map<string, string>();
  for (const s of PROBE_STATES)
    for (const c of probe.states[s] ?? []) if (c.request === request) for (const h of Object.keys(c.header ?? {})) names.set(h.toLowerCase(), h);
  return [...names.values()];
}

/** One line of what the layer answered, e.g. "gateway 200 X-RateLimit-Status: degraded · health 200 status=ok". */
export function summarizeRequests(probe: ProbeConfig, requests: ProbeRequest[]): string {
  return requests
    .map((r) => {
      const parts = [`${r.name} ${statusText(r)}`];
      if (r.status !== null) {
        for (const h of shownHeaders(probe, r.name)) parts.push(`${h}: ${r.headers?.[h.toLowerCase()] ?? "(none)"}`);
        for (const [path, v] of Object.entries(r.json ?? {})) parts.push(`${path}=${typeof v === "string" ? v : show(v)}`);
      }
      return parts.join(" ");
    })
    .join(" · ");
}

/** The JSON paths the rules read from each request's answer (only these are kept: answers may be large or private). */
export function jsonPathsOf(probe: ProbeConfig, request: string): string[] {
  const paths = new Set<string>();
  for (const s of PROBE_STATES) for (const c of probe.states[s] ?? []) if (c.request === request && c.json) paths.add(c.json.path);
  return [...paths];
}

/** The response headers the rules read from a request (lower-cased). */
export function headerNamesOf(probe: ProbeConfig, request: string): string[] {
  return shownHeaders(probe, request).map((h) => h.toLowerCase());
}
