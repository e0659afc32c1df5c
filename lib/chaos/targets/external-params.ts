/**
 * The parameters an external target can honour, per scenario; defaults fit the target (an
 * outage is a pause). A parameter it cannot honour is refused with what it can do. Client-safe.
 */
import { z } from "zod";

const duration = z
  .number({ message: "durationSeconds must be a number" })
  .int()
  .min(3, "durationSeconds must be at least 3")
  .max(120, "durationSeconds must be at most 120")
  .default(10)
  .meta({ unit: "s", help: "how long the fault holds" });

export const EXTERNAL_PARAMS = {
  outage: z.strictObject({
    mode: z
      .enum(["pause", "write-pause"], {
        message:
          'on an external target mode must be "pause" (CLIENT PAUSE ALL) or "write-pause" (CLIENT PAUSE WRITE): kill, freeze and network need the sandbox',
      })
      .default("pause")
      .meta({ help: "CLIENT PAUSE ALL (a full outage) or WRITE (reads still served) on every node" }),
    durationSeconds: duration,
  }),
  "memory-pressure": z.strictObject({
    targetPercent: z
      .number({ message: "targetPercent must be a number" })
      .min(50, "targetPercent must be at least 50")
      .max(100, "targetPercent must be at most 100")
      .default(100)
      .meta({ unit: "%", help: "fill to this share of the maxmemory the run sets" }),
    durationSeconds: duration,
    policy: z
      .enum(["allkeys-lru", "volatile-lru", "noeviction"], { message: 'policy must be "allkeys-lru", "volatile-lru" or "noeviction"' })
      .default("allkeys-lru")
      .meta({ help: "maxmemory-policy during the run (the original is journaled and restored)" }),
  }),
  failover: z.strictObject({}),
  latency: z.strictObject({
    ms: z
      .number({ message: "ms (added Redis round-trip latency) must be a number" })
      .int("ms must be a whole number")
      .min(10, "ms must be at least 10")
      .max(2000, "ms must be at most 2000")
      .default(100)
      .meta({ unit: "ms", help: "added round-trip latency at the console's fault proxy, between the layers and Redis" }),
    jitterMs: z
      .number({ message: "jitterMs must be a number" })
      .int("jitterMs must be a whole number")
      .min(0, "jitterMs must be 0 or more")
      .max(1000, "jitterMs must be at most 1000")
      .default(0)
      .meta({ unit: "ms", help: "± spread around ms" }),
    durationSeconds: duration,
    probeEveryMs: z
      .number({ message: "probeEveryMs must be a number" })
      .int()
      .min(50, "probeEveryMs must be at least 50")
      .max(2000, "probeEveryMs must be at most 2000")
      .default(100)
      .meta({ unit: "ms", help: "how often each configured layer's probe runs (the traffic whose P99 is measured)" }),
  }),
  "restart-under-load": z.strictObject({
    delayMs: z
      .number({ message: "delayMs must be a number" })
      .int()
      .min(0, "delayMs must be at least 0")
      .max(5000, "delayMs must be at most 5000: longer, and Sentinel may fail over")
      .default(0)
      .meta({ unit: "ms", help: "DEBUG CRASH-AND-RECOVER's delay before the server re-executes itself (it answers nothing meanwhile)" }),
    probeEveryMs: z
      .number({ message: "probeEveryMs must be a number" })
      .int()
      .min(100, "probeEveryMs must be at least 100")
      .max(2000, "probeEveryMs must be at most 2000")
      .default(250)
      .meta({ unit: "ms", help: "how often each configured layer's probe runs during the restart (the traffic is the layers' own probes)" }),
    watchSeconds: z
      .number({ message: "watchSeconds must be a number" })
      .int()
      .min(5, "watchSeconds must be at least 5")
      .max(60, "watchSeconds must be at most 60")
      .default(10)
      .meta({ unit: "s", help: "how long the layers are watched after the master answers again" }),
  }),
  "data-integrity": z.strictObject({
    mode: z
      .enum(["restart", "failover"], {
        message: 'on an external target mode must be "restart" (DEBUG CRASH-AND-RECOVER) or "failover" (SENTINEL FAILOVER): power loss needs the sandbox',
      })
      .default("restart")
      .meta({ help: "crash the master's process, or ask Sentinel to fail over, while sequenced writes run" }),
    writeEveryMs: z
      .number({ message: "writeEveryMs must be a number" })
      .int()
      .min(5, "writeEveryMs must be at least 5")
      .max(1000, "writeEveryMs must be at most 1000")
      .default(20)
      .meta({ unit: "ms", help: "one acknowledged write every writeEveryMs, read back afterwards" }),
  }),
} as const;

export type ExternalScenario = keyof typeof EXTERNAL_PARAMS;
export const EXTERNAL_SCENARIOS = Object.keys(EXTERNAL_PARAMS) as ExternalScenario[];
/** How long the layers get to react before the hold starts. */
export const REACT_WINDOW_S = 5;
