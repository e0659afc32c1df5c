/**
 * The console's configuration, validated once at start. The default describes the devstack;
 * a config file (CONSOLE_CONFIG) can point the console at any other Redis, which makes it
 * read-only: chaos needs `devstack`.
 */
import { z } from "zod";
import { ChaosConfigSchema } from "./chaos-schema";
import { FAILURE_CONTRACT, LAYER_IDS } from "../contract/failure-contract";
import { RedisConnection } from "./connection-schema";
import { ProbeConfigSchema } from "./probe-schema";
import { SANDBOX_PROBES } from "./sandbox-probes";
import { VerificationConfig } from "./verification-schema";

const hostPort = z.object({
  host: z.string().min(1, "host must not be empty"),
  port: z.number().int().min(1).max(65535),
});

export { PasswordSource } from "./connection-schema";

export const Thresholds = z.object({
  connectedClients: z.number().positive().default(500),
  memoryUsedRatio: z.number().gt(0).max(1).default(0.8),
  missRatio: z.number().gt(0).max(1).default(0.5),
  forkSeconds: z.number().positive().default(1),
  replicationLagSeconds: z.number().positive().default(10),
  /** A disagreement between contract and layer counts as a violation once it lasts this long. */
  contractGraceMs: z.number().int().min(0).default(3000),
});

/**
 * A layer and how to probe it (docs/probes.md). Without `probe` it is probed as the
 * sandbox stand-in of its id is. The probe must describe the states the contract expects of this
 * layer (ok, and its outage state), or it could never be judged in agreement.
 */
export const LayerEntry = z
  .object({
    id: z.enum(LAYER_IDS),
    url: z.string().url("layer url must be a full URL, e.g. http://127.0.0.1:6407"),
    probe: ProbeConfigSchema.optional(),
  })
  .superRefine((l, ctx) => {
    const outage = FAILURE_CONTRACT[l.id].statusDuringOutage;
    if (l.probe && !l.probe.states[outage]) {
      ctx.addIssue({
        code: "custom",
        path: ["probe", "states", outage],
        message: `${l.id}'s failure contract expects "${outage}" while Redis is down: describe that state's conditions`,
      });
    }
  })
  .transform((l) => ({ ...l, probe: l.probe ?? SANDBOX_PROBES[l.id] }));

export type LayerConfig = z.infer<typeof LayerEntry>;

/** The guide's "Key Production Settings" table plus the Sentinel settings it recommends. */
export const BaselineSetting = z.object({
  name: z.string(),
  production: z.string(),
  devDefault: z.string(),
  why: z.string(),
});

const ConsoleConfigObject = z.object({
  deployment: z.string().min(1).default("sandbox"),
  /** `devstack` enables chaos through the devstack control API; anything else is read-only. */
  source: z.enum(["devstack", "external"]),
  redis: z.object({
    masterName: z.string().min(1).default("mymaster"),
    nodes: z.array(hostPort.extend({ id: z.string().min(1) })).default([]),
    sentinels: z.array(hostPort.extend({ id: z.string().min(1) })).default([]),
    /** ACL users, password sources, TLS for the nodes and (separately) the sentinels. */
    ...RedisConnection,
    /** The address the layers use (gw-redis); a ROLE through it says whether Redis is up, and writable, for them. */
    layerAddress: hostPort.optional(),
    /**
     * A Redis Cluster (docs/redis-cluster.md): the console discovers every node from a seed's
     * CLUSTER SHARDS and follows the topology; `nodes` and `sentinels` stay empty.
     */
    cluster: z.object({ seeds: z.array(hostPort).min(1, "name at least one seed node") }).optional(),
  }),
  layers: z.array(LayerEntry).default([]),
  tickMs: z.number().int().min(250).max(10_000).default(1000),
  // probeMs is above the layers' own Redis timeouts (APISIX's 1000 ms, redis-rs' 500 ms per
  // command, two or three commands a request): a layer waiting out a frozen Redis answers late,
  // and that answer (fail open, degrade, fail hard) is the evidence. Looks do not wait for it.
  timeouts: z
    .object({ redisMs: z.number().int().min(50).default(500), probeMs: z.number().int().min(50).default(3000) })
    .default({ redisMs: 500, probeMs: 3000 }),
  thresholds: Thresholds.default(Thresholds.parse({})),
  /** An incident closes once everything has been ok for settleMs. */
  incidents: z.object({ settleMs: z.number().int().min(0).default(60_000) }).default({ settleMs: 60_000 }),
  /** The records' store: how long timeline events, runs and failovers are kept (the first deployment's setting applies). */
  store: z
    .object({
      retentionDays: z.number({ message: "store.retentionDays must be a number of days" }).int().min(1, "store.retentionDays must be at least 1").default(90),
    })
    .default({ retentionDays: 90 }),
  /** Continuous verification (issue 29): claims' expiry and weights, manual runs' guardrails, notifications. */
  ...VerificationConfig,
  /** `kind: "cluster"` is the cluster sandbox (`npm run stack -- up --cluster`), whose state file is cluster-state.json. */
  devstack: z.object({ dir: z.string(), controlUrl: z.string().url().optional(), kind: z.enum(["sentinel", "cluster"]).default("sentinel") }).optional(),
  /** An external deployment as a chaos target: opted in (docs/chaos-dev-stack.md). */
  chaos: ChaosConfigSchema.optional(),
});

export const ConsoleConfigSchema = ConsoleConfigObject.superRefine((c, ctx) => {
  for (const p of clusterConfigProblems(c as ConsoleConfig)) ctx.addIssue({ code: "custom", path: p.path.split("."), message: p.message });
});

export type ConsoleConfig = z.infer<typeof ConsoleConfigObject>;

/** A cluster has no sentinels and no fixed node list: said as a config error rather than half-watched. */
export function clusterConfigProblems(c: ConsoleConfig): { path: string; message: string }[] {
  if (!c.redis.cluster) return [];
  const out: { path: string; message: string }[] = [];
  if (c.redis.sentinels.length)
    out.push({ path: "redis.sentinels", message: "a Redis Cluster fails over by itself: leave sentinels out when redis.cluster is set" });
  if (c.redis.nodes.length)
    out.push({ path: "redis.nodes", message: "with redis.cluster the nodes are discovered from the seeds (CLUSTER SHARDS): leave redis.nodes out" });
  if (c.redis.layerAddress)
    out.push({ path: "redis.layerAddress", message: "cluster clients reach every shard themselves: there is no single layer address to check" });
  // Chaos on a cluster acts per shard (docs/chaos-dev-stack.md, "Redis Cluster dev stack"); latency would need a proxy before one shard, which cluster clients bypass.
  if (c.chaos?.proxy)
    out.push({
      path: "chaos.proxy",
      message:
        "a fault proxy cannot sit between cluster clients and one shard (they follow MOVED to each node's own address): remove chaos.proxy; latency is not offered on a Redis Cluster dev stack",
    });
  return out;
}

export type ThresholdConfig = z.infer<typeof Thresholds>;

/** Formats zod issues so a person sees which field is wrong and why. */
export function describeConfigError(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}
