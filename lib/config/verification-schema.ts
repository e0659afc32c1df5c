/**
 * The config of continuous verification (issue 29): how long a verdict stays fresh and what each
 * claim weighs, the guardrails every manual run gets unless its plan says otherwise, and where
 * notifications go. Secret headers are password sources, as everywhere else: read from the
 * environment or a file, never written in the config.
 */
import { z } from "zod";
import { PasswordSource } from "./connection-schema";

const seconds = (what: string) => z.number({ message: `${what} must be a number of seconds` }).min(0, `${what} must be 0 or more`);

export const GuardrailSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("layer-not-ok"),
    forSeconds: seconds("forSeconds").default(5),
    layers: z.array(z.string()).optional(),
    name: z.string().optional(),
  }),
  z.object({
    kind: z.literal("probe-failure-ratio"),
    layer: z.string().min(1, "the layer whose probes are counted (L1, L2, L3, CP)"),
    windowSeconds: seconds("windowSeconds").min(1, "windowSeconds must be at least 1").default(30),
    budget: z.number().min(0, "budget is a share between 0 and 1").max(1, "budget is a share between 0 and 1"),
    name: z.string().optional(),
  }),
  z.object({
    kind: z.literal("alert"),
    forSeconds: seconds("forSeconds").default(0),
    rule: z.string().optional(),
    severity: z.enum(["page", "warn"]).optional(),
    name: z.string().optional(),
  }),
  z.object({
    kind: z.literal("promql"),
    query: z.string().min(1, "the PromQL query that must return no sample"),
    forSeconds: seconds("forSeconds").default(0),
    name: z.string().optional(),
  }),
  z.object({
    kind: z.literal("memory-above"),
    ratio: z.number().gt(0, "ratio is used/maxmemory, between 0 and 1").max(1, "ratio is used/maxmemory, between 0 and 1"),
    forSeconds: seconds("forSeconds").default(0),
    name: z.string().optional(),
  }),
]);

export const ClaimsConfigSchema = z
  .object({
    expireAfterDays: z.number({ message: "claims.expireAfterDays must be a number of days" }).positive("claims.expireAfterDays must be more than 0").default(7),
    /** By claim id; 1 when not named, 0 leaves the claim out of the score. */
    weights: z.record(z.string(), z.number().min(0, "a claim's weight is 0 or more")).default({}),
  })
  .default({ expireAfterDays: 7, weights: {} });

/** Header values may be plain (a content type) or a password source (an API key). */
const HeaderValue = z.union([z.string(), PasswordSource]);

export const NotificationsSchema = z
  .object({
    alertmanager: z
      .object({
        url: z.string().url("notifications.alertmanager.url: the Alertmanager's base URL, e.g. http://alertmanager:9093"),
        headers: z.record(z.string(), HeaderValue).default({}),
      })
      .optional(),
    webhooks: z
      .array(
        z.object({
          name: z.string().min(1, "a webhook needs a name (shown on the Schedules page when it fails)"),
          url: z.string().url("a webhook's url must be an http(s) URL"),
          format: z.enum(["json", "slack"]).default("json"),
          headers: z.record(z.string(), HeaderValue).default({}),
        }),
      )
      .default([]),
    /** Each notification is tried this many times, backing off, then recorded as failed. */
    attempts: z.number().int().min(1).max(10).default(4),
    timeoutMs: z.number().int().min(100).max(30_000).default(5000),
  })
  .default({ webhooks: [], attempts: 4, timeoutMs: 5000 });

export const VerificationConfig = {
  claims: ClaimsConfigSchema,
  /** Guardrails every manual run starts with (shown on the plan before Confirm). */
  guardrails: z.array(GuardrailSchema).default([]),
  notifications: NotificationsSchema,
};
