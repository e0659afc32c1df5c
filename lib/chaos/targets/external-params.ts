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
} as const;

export type ExternalScenario = keyof typeof EXTERNAL_PARAMS;
export const EXTERNAL_SCENARIOS = Object.keys(EXTERNAL_PARAMS) as ExternalScenario[];
/** How long the layers get to react before the hold starts. */
export const REACT_WINDOW_S = 5;
