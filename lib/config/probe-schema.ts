/**
 * How the console probes one layer: the requests to send and the rules that turn the answers
 * into a state. People write these in CONSOLE_CONFIG (docs/probes.md), so the
 * names are a contract: `everyMs`, `requests[{name, method, path, headers, body}]`,
 * `states{unavailable, degraded, ok}` of conditions `{request, status, header, json, error}`.
 * Client-safe: no server imports.
 */
import { z } from "zod";

/** States in the order they are tried: the first whose conditions all hold is the layer's state. */
export const PROBE_STATES = ["unavailable", "degraded", "ok"] as const;
export type ProbeState = (typeof PROBE_STATES)[number];

const REQUEST_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
/** `{create.id}` or `{create.session.id}`: a value from an earlier request's JSON answer. */
export const TEMPLATE = /\{([A-Za-z][A-Za-z0-9_-]{0,39})((?:\.[A-Za-z0-9_-]+)+)\}/g;

/** A header value: literal, or read from the console's environment (a secret never shown). */
export const HeaderValue = z.union(
  [
    z.string(),
    z.strictObject({
      env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "env must name an environment variable, e.g. L2_PROBE_KEY"),
      prefix: z.string().optional(),
    }),
  ],
  { error: 'a header value is a string or {"env": "VAR", "prefix"?: "Bearer "}' },
);

export const ProbeRequestSpec = z.strictObject({
  name: z.string().regex(REQUEST_NAME, "name: a letter, then letters, digits, '_' or '-' (at most 40), e.g. \"create\""),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], { error: "method must be GET, POST, PUT, PATCH, DELETE or HEAD" }).default("GET"),
  path: z.string().startsWith("/", "path must start with /, e.g. /v1/chat/completions"),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "header names: letters, digits, '-'"), HeaderValue).optional(),
  /** Sent as JSON; strings in it may use `{request.path}` templates. */
  body: z.unknown().optional(),
});

const statusCode = z.number().int().min(100, "status codes are 100-599").max(599, "status codes are 100-599");
export const StatusMatch = z.union([statusCode, z.array(statusCode).min(1), z.enum(["2xx", "3xx", "4xx", "5xx"])], {
  error: 'status is a code (200), a list ([200, 429]) or a class ("2xx", "3xx", "4xx", "5xx")',
});

export const ProbeCondition = z
  .strictObject({
    request: z.string({ error: "request must name one of the probe's requests" }),
    status: StatusMatch.optional(),
    /** Header name → exact value, "*" (present) or null (absent). */
    header: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "header names: letters, digits, '-'"), z.union([z.string(), z.null()])).optional(),
    json: z
      .strictObject({
        path: z.string().min(1, "json.path is a dot path, e.g. status or state.cache"),
        equals: z.union([z.string(), z.number(), z.boolean(), z.null()]),
      })
      .optional(),
    /** true: the request got no answer (refused, reset, past the deadline); false: it got one. */
    error: z.boolean().optional(),
  })
  .refine((c) => c.status !== undefined || c.header !== undefined || c.json !== undefined || c.error !== undefined, {
    error: "a condition needs at least one of status, header, json or error",
  });

export const ProbeConfigSchema = z
  .strictObject({
    /** How often to probe (ms); absent: every collector tick. An expensive probe (an LLM call) sets it high. */
    everyMs: z.number().int().min(250, "everyMs must be at least 250").max(3_600_000, "everyMs must be at most 3600000 (1 hour)").optional(),
    /** The deadline for the whole probe (all its requests); absent: timeouts.probeMs. */
    timeoutMs: z.number().int().min(50, "timeoutMs must be at least 50").max(60_000, "timeoutMs must be at most 60000").optional(),
    requests: z.array(ProbeRequestSpec).min(1, "requests must list at least one request").max(10, "at most 10 requests per probe"),
    states: z.strictObject({
      unavailable: z.array(ProbeCondition).min(1, "a state needs at least one condition").optional(),
      degraded: z.array(ProbeCondition).min(1, "a state needs at least one condition").optional(),
      ok: z.array(ProbeCondition).min(1, "a state needs at least one condition"),
    }),
  })
  .superRefine((p, ctx) => {
    const names = p.requests.map((r) => r.name);
    p.requests.forEach((r, i) => {
      if (names.indexOf(r.name) !== i)
        ctx.addIssue({ code: "custom", path: ["requests", i, "name"], message: `"${r.name}" is used twice; request names must be unique` });
      const earlier = new Set(names.slice(0, i));
      for (const ref of templateRefs(JSON.stringify([r.path, r.body ?? null]))) {
        if (!earlier.has(ref))
          ctx.addIssue({
            code: "custom",
            path: ["requests", i],
            message: `{${ref}.…} must name an earlier request (${[...earlier].join(", ") || "none before this one"})`,
          });
      }
    });
    for (const state of PROBE_STATES) {
      (p.states[state] ?? []).forEach((c, j) => {
        if (!names.includes(c.request))
          ctx.addIssue({ code: "custom", path: ["states", state, j, "request"], message: `"${c.request}" is not one of the requests (${names.join(", ")})` });
      });
    }
  });

export type ProbeConfig = z.infer<typeof ProbeConfigSchema>;
export type ProbeRequestConfig = z.infer<typeof ProbeRequestSpec>;
export type ProbeConditionConfig = z.infer<typeof ProbeCondition>;

/** The request names a text's templates refer to. */
export function templateRefs(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].map((m) => m[1]);
}
