/**
 * The parameters an external target can honour, per scenario; defaults fit the target (an
 * outage is a pause). A parameter it cannot honour is refused with what it can do. Client-safe.
 */
import { z } from "zod";
import { addedLatencyMs, jitterMs } from "../scenarios/latency-params";
import { REACTION_GRACE_SECONDS } from "../../contract/verdict-rules";

/** A whole-number parameter with its bounds named in the messages, its unit and its help. */
const whole = (name: string, min: number, max: number, fallback: number, unit: string, help: string) =>
  z
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback)
    .meta({ unit, help });

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
    ms: addedLatencyMs("at the console's fault proxy, between the layers and Redis"),
    jitterMs,
    durationSeconds: duration,
    probeEveryMs: whole("probeEveryMs", 50, 2000, 100, "ms", "how often each configured layer's probe runs (the traffic whose P99 is measured)"),
  }),
  "restart-under-load": z.strictObject({
    delayMs: z
      .number({ message: "delayMs must be a number" })
      .int()
      .min(0, "delayMs must be at least 0")
      .max(5000, "delayMs must be at most 5000: longer, and Sentinel may fail over")
      .default(0)
      .meta({ unit: "ms", help: "DEBUG CRASH-AND-RECOVER's delay before the server re-executes itself (it answers nothing meanwhile)" }),
    probeEveryMs: whole(
      "probeEveryMs",
      100,
      2000,
      250,
      "ms",
      "how often each configured layer's probe runs during the restart (the traffic is the layers' own probes)",
    ),
    watchSeconds: whole("watchSeconds", 5, 60, 10, "s", "how long the layers are watched after the master answers again"),
  }),
  "data-integrity": z.strictObject({
    mode: z
      .enum(["restart", "failover"], {
        message: 'on an external target mode must be "restart" (DEBUG CRASH-AND-RECOVER) or "failover" (SENTINEL FAILOVER): power loss needs the sandbox',
      })
      .default("restart")
      .meta({ help: "crash the master's process, or ask Sentinel to fail over, while sequenced writes run" }),
    writeEveryMs: whole("writeEveryMs", 5, 1000, 20, "ms", "one acknowledged write every writeEveryMs, read back afterwards"),
  }),
  "connection-exhaustion": z.strictObject({
    headroom: whole("headroom", 0, 50, 0, "connections", "client slots left free below maxclients (0: Redis refuses every new connection)"),
    layerConnections: z
      .enum(["keep"], {
        message: "on an external target layerConnections must be \"keep\": dropping the layers' connections needs the sandbox's fault proxy",
      })
      .default("keep")
      .meta({ help: "the layers' open connections go on (Steadybit's attack); only new ones are refused" }),
    durationSeconds: duration,
  }),
} as const;

export type ExternalScenario = keyof typeof EXTERNAL_PARAMS;
export const EXTERNAL_SCENARIOS = Object.keys(EXTERNAL_PARAMS) as ExternalScenario[];
/** How long the layers get to react before the hold starts. */
export const REACT_WINDOW_S = REACTION_GRACE_SECONDS.sampled;
