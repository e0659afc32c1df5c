/**
 * The sandbox control API's request bodies (devstack/README.md, "Control API"): the routes
 * validate with these (a 400 names the field), and the typed client builds its bodies to them.
 * Strict objects: an unknown field is a mistake worth a 400, not something to ignore.
 */
import { z } from "zod";

export const DEFAULT_TTL_SECONDS = 120;
export const MAX_TTL_SECONDS = 600;
/** Traffic's default and ceiling: the sandbox is for modest load. */
export const DEFAULT_RPS = 20;
export const MAX_RPS = 500;

export const NODE_ACTIONS = ["kill", "freeze", "thaw", "restart"] as const;
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** Optional TTL of a fault: whole seconds, 1 to 600; absent means the default (120 s). */
export const TtlSeconds = z
  .number({ error: "ttlSeconds must be a number of seconds" })
  .int("ttlSeconds must be a whole number of seconds")
  .min(1, "ttlSeconds must be at least 1")
  .max(MAX_TTL_SECONDS, `ttlSeconds must be at most ${MAX_TTL_SECONDS} (10 minutes); every fault must undo itself`)
  .optional();

/** A body with only an optional TTL (node faults, blackhole, layer hang). */
export const TtlBody = z.strictObject({ ttlSeconds: TtlSeconds });
export type TtlRequest = z.infer<typeof TtlBody>;

export const EmptyBody = z.strictObject({});

/** POST /processes/:action: a node addressed by pid. */
export const PidBody = z.strictObject({
  pid: z.number({ error: "pid must be a number" }).int().positive("pid must be a positive integer"),
  ttlSeconds: TtlSeconds,
});

/** POST /proxy/latency. */
export const LatencyBody = z.strictObject({
  ms: z.number({ error: "ms (added round-trip latency in milliseconds) is required" }).int().min(1).max(10_000, "ms must be at most 10000"),
  jitterMs: z.number().int().min(0).max(10_000, "jitterMs must be at most 10000").optional(),
  ttlSeconds: TtlSeconds,
});
export type LatencyRequest = z.infer<typeof LatencyBody>;

export const CUT_MODES = ["refuse", "reset"] as const;
/** "refuse": connections are closed at once (FIN). "reset": they are reset (RST). */
export type CutMode = (typeof CUT_MODES)[number];

/** POST /proxy/cut. */
export const CutBody = z.strictObject({ mode: z.enum(CUT_MODES, { error: 'mode must be "refuse" or "reset"' }).optional(), ttlSeconds: TtlSeconds });
export type CutRequest = z.infer<typeof CutBody>;

export const LAYER_ADDRESSING = ["follow", "pinned"] as const;
/**
 * "follow": the layers' address follows the master through +switch-master (a VIP, or a proxy with
 * role checks). "pinned": a fixed address to one node (a compose service name resolving to
 * `redis-master`), which keeps pointing there through a failover.
 */
export type LayerAddressing = (typeof LAYER_ADDRESSING)[number];

/** POST /proxy/addressing: switches the layers' address for a while; undone by its TTL, DELETE or /reset. */
export const AddressingBody = z.strictObject({
  mode: z.enum(LAYER_ADDRESSING, { error: 'mode must be "follow" or "pinned"' }),
  ttlSeconds: TtlSeconds,
});
export type AddressingRequest = z.infer<typeof AddressingBody>;

/** POST /memory/fill. */
export const FillBody = z.strictObject({
  targetPercent: z.number({ error: "targetPercent (of maxmemory, 1-100) is required" }).min(1).max(100, "targetPercent must be at most 100"),
  ttlSeconds: TtlSeconds,
});
export type FillRequest = z.infer<typeof FillBody>;

/** POST /redis/connections/exhaust: connections held on the master until maxclients minus `headroom` are in use. */
export const ExhaustBody = z.strictObject({
  headroom: z
    .number({ error: "headroom must be a number of connections" })
    .int("headroom must be a whole number")
    .min(0, "headroom must be at least 0")
    .max(1000, "headroom must be at most 1000")
    .default(0),
  /** Then drop the layers' connections at the fault proxy, so each layer must open new ones while Redis refuses them. */
  dropLayerConnections: z.boolean({ error: "dropLayerConnections must be true or false" }).default(false),
  ttlSeconds: TtlSeconds,
});
export type ExhaustRequest = z.input<typeof ExhaustBody>;

/** POST /workloads/traffic/start. */
export const TrafficBody = z.strictObject({
  rps: z
    .number({ error: "rps must be a number" })
    .positive("rps must be above 0")
    .max(MAX_RPS, `rps must be at most ${MAX_RPS}: the sandbox is for modest load`)
    .optional(),
});
