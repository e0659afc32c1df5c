import "server-only";
/**
 * The devstack's workloads as scenarios drive them, through the control API: steady traffic
 * against the layers and the integrity writer. Answers are parsed into the few fields the
 * scenarios read, so a devstack that answers otherwise fails with a clear message.
 */
import { z } from "zod";
import { LAYER_IDS } from "../../contract/failure-contract";
import type { DevstackControl } from "../devstack-control";

const Ms = z.number().nullable();
const LayerTrafficSchema = z.object({
  requests: z.number(),
  ok: z.number(),
  errors: z.number(),
  byStatus: z.record(z.string(), z.number()),
  latencyMs: z.object({ samples: z.number(), p50: Ms, p95: Ms, p99: Ms, max: Ms }),
});
const TrafficStatsSchema = z.object({
  running: z.boolean(),
  rps: z.number(),
  layers: z.partialRecord(z.enum(LAYER_IDS), LayerTrafficSchema),
});
export type LayerTraffic = z.infer<typeof LayerTrafficSchema>;
export type TrafficStats = z.infer<typeof TrafficStatsSchema>;

const MissingSchema = z.object({
  count: z.number(),
  firstSeq: z.number().nullable(),
  lastSeq: z.number().nullable(),
  window: z.object({ from: z.string(), to: z.string() }).nullable(),
  sample: z.array(z.number()),
});
const IntegrityReportSchema = z.object({
  run: z.string().nullable(),
  startedAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  attempted: z.number(),
  acknowledged: z.number(),
  failed: z.number(),
  lastError: z.string().nullable(),
  master: z.string().nullable(),
  verification: z
    .union([z.object({ checkedAt: z.string(), checked: z.number(), missing: MissingSchema }), z.object({ checkedAt: z.string(), error: z.string() })])
    .nullable(),
});
export type IntegrityReport = z.infer<typeof IntegrityReportSchema>;

function parsed<T>(schema: z.ZodType<T>, route: string, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new Error(`control API ${route} answered an unexpected shape: ${result.error.issues[0]?.path.join(".")} ${result.error.issues[0]?.message}`);
  return result.data;
}

/** Steady round-robin traffic to the four layers (counts since start, percentiles over 60 s). */
export const traffic = {
  async start(control: DevstackControl, rps: number): Promise<TrafficStats> {
    return parsed(TrafficStatsSchema, "traffic/start", await control.call("POST", "/workloads/traffic/start", { rps }));
  },
  async read(control: DevstackControl): Promise<TrafficStats> {
    return parsed(TrafficStatsSchema, "traffic", await control.call("GET", "/workloads/traffic"));
  },
  /** Counts and percentiles start over, so the next read covers only what follows. */
  async reset(control: DevstackControl): Promise<TrafficStats> {
    return parsed(TrafficStatsSchema, "traffic/reset", await control.call("POST", "/workloads/traffic/reset", {}));
  },
  async stop(control: DevstackControl): Promise<TrafficStats> {
    return parsed(TrafficStatsSchema, "traffic/stop", await control.call("POST", "/workloads/traffic/stop", {}));
  },
};

/** Sequenced writes to the master (20 ms apart), read back to find acknowledged writes that were lost. */
export const integrityWriter = {
  async start(control: DevstackControl): Promise<string> {
    return parsed(z.object({ run: z.string() }), "integrity/start", await control.call("POST", "/workloads/integrity/start", {})).run;
  },
  /** Counters and a read-back of every acknowledged write so far. */
  async read(control: DevstackControl): Promise<IntegrityReport> {
    return parsed(IntegrityReportSchema, "integrity", await control.call("GET", "/workloads/integrity"));
  },
  /** Stops writing, then reads every acknowledged write back from the current master. */
  async stop(control: DevstackControl): Promise<IntegrityReport> {
    return parsed(IntegrityReportSchema, "integrity/stop", await control.call("POST", "/workloads/integrity/stop", {}, 30_000));
  },
};

const FillResultSchema = z.object({
  keysWritten: z.number(),
  usedMemory: z.number(),
  maxmemory: z.number(),
  percent: z.number(),
  reachedTarget: z.boolean(),
  evicting: z.boolean(),
});
export type FillResult = z.infer<typeof FillResultSchema>;

/** 64 KB filler keys (each with the fault's TTL) written to the master until it reaches the target or evicts. */
export async function fillMemory(control: DevstackControl, targetPercent: number, ttlSeconds: number): Promise<FillResult> {
  return parsed(FillResultSchema, "memory/fill", await control.call("POST", "/memory/fill", { targetPercent, ttlSeconds }, 30_000));
}
