/**
 * The sandbox's workload answers: steady traffic against the layers and the integrity writer.
 * The devstack's workloads build them to these types; the typed client parses them.
 */
import { z } from "zod";
import { LAYER_IDS } from "./failure-contract";

const Ms = z.number().nullable();

/** Latency percentiles over the sliding window (nearest rank); null when no sample. */
export const LatencySummarySchema = z.object({ samples: z.number(), p50: Ms, p95: Ms, p99: Ms, max: Ms });
export type LatencySummary = z.infer<typeof LatencySummarySchema>;

export const LayerTrafficSchema = z.object({
  requests: z.number(),
  ok: z.number(),
  errors: z.number(),
  /** By HTTP status, or "timeout" / "error" when none came. */
  byStatus: z.record(z.string(), z.number()),
  /** Answers that named a Redis error (the layers' x-redis-error header): READONLY, refused, timeout, error. */
  byRedisError: z.record(z.string(), z.number()).optional(),
  latencyMs: LatencySummarySchema,
});
export type LayerTraffic = z.infer<typeof LayerTrafficSchema>;

/** GET /workloads/traffic (and every traffic route): counts since start, percentiles over the window. */
export const TrafficStatsSchema = z.object({
  running: z.boolean(),
  rps: z.number(),
  startedAt: z.string().nullable(),
  windowSeconds: z.number(),
  inFlight: z.number(),
  /** Requests not sent because too many were already waiting. */
  skipped: z.number(),
  layers: z.partialRecord(z.enum(LAYER_IDS), LayerTrafficSchema),
});
export type TrafficStats = z.infer<typeof TrafficStatsSchema>;

export const MissingWritesSchema = z.object({
  count: z.number(),
  firstSeq: z.number().nullable(),
  lastSeq: z.number().nullable(),
  /** When the missing writes had been acknowledged: the window of data that was lost. */
  window: z.object({ from: z.string(), to: z.string() }).nullable(),
  /** The first missing sequence numbers (bounded). */
  sample: z.array(z.number()),
});
export type MissingWrites = z.infer<typeof MissingWritesSchema>;

/** POST /workloads/integrity/start. */
export const IntegrityStartSchema = z.object({ run: z.string() });

/** GET /workloads/integrity and POST /workloads/integrity/stop: counters plus a read-back of every acknowledged write. */
export const IntegrityReportSchema = z.object({
  run: z.string().nullable(),
  running: z.boolean(),
  startedAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  attempted: z.number(),
  acknowledged: z.number(),
  failed: z.number(),
  lastError: z.string().nullable(),
  master: z.string().nullable(),
  verification: z
    .union([z.object({ checkedAt: z.string(), checked: z.number(), missing: MissingWritesSchema }), z.object({ checkedAt: z.string(), error: z.string() })])
    .nullable(),
});
export type IntegrityReport = z.infer<typeof IntegrityReportSchema>;
