/**
 * The parameters a Redis Cluster dev stack can honour, per scenario: each acts on one shard
 * ("shard-1"… by lowest slot, as the Cluster page names them). Client-safe.
 */
import { z } from "zod";
import { EXTERNAL_PARAMS } from "./external-params";

/** An enum, so the Chaos page offers a choice; a name past the cluster's shards is refused at start naming the ones it has. */
const SHARD_NAMES = Array.from({ length: 16 }, (_, i) => `shard-${i + 1}`) as [string, ...string[]];

const shard = z
  .enum(SHARD_NAMES, { message: 'shard must be a shard name as the Cluster page shows it: "shard-1" to "shard-16"' })
  .default("shard-1")
  .meta({ help: "the shard to act on (named by its lowest slot, as on the Cluster page)" });

export const CLUSTER_DEV_PARAMS = {
  outage: z.strictObject({
    shard,
    durationSeconds: EXTERNAL_PARAMS.outage.shape.durationSeconds,
  }),
  failover: z.strictObject({ shard }),
  "memory-pressure": EXTERNAL_PARAMS["memory-pressure"].extend({ shard }),
} as const;

export type ClusterDevScenario = keyof typeof CLUSTER_DEV_PARAMS;
export const CLUSTER_DEV_SCENARIOS = Object.keys(CLUSTER_DEV_PARAMS) as ClusterDevScenario[];
