/**
 * The Cluster sandbox's control API (devstack/cluster/cluster-control.ts): its request modes and
 * its answers. The devstack builds its answers to these types and the typed client parses them
 * with these schemas, so a sandbox that answers otherwise fails naming the field. Fault and node
 * answers are the Sentinel sandbox's own (control-answers.ts).
 */
import { z } from "zod";
import { ClusterLayerStateSchema } from "./cluster-state";
import { ActiveFaultSchema, FillResultSchema } from "./control-answers";
import { LAYER_IDS } from "./failure-contract";
import { MISBEHAVE_MODES } from "./misbehave-modes";

/** POST /nodes/:name/failover's `mode`: CLUSTER FAILOVER [FORCE|TAKEOVER]. */
export const CLUSTER_FAILOVER_MODES = ["default", "force", "takeover"] as const;
export type ClusterFailoverMode = (typeof CLUSTER_FAILOVER_MODES)[number];

const NodeRole = z.enum(["master", "replica"]);
const MisbehaveMode = z.enum(Object.values(MISBEHAVE_MODES) as [string, ...string[]]);

/** One node as `stack status --cluster` and GET /status describe it, no secrets. */
export const ClusterNodeStatusSchema = z.object({
  name: z.string(),
  host: z.string(),
  port: z.number(),
  busPort: z.number(),
  pid: z.number().nullable(),
  frozen: z.boolean(),
  id: z.string().nullable(),
  /** Live role from the node's own CLUSTER NODES line; `down`, `frozen` or `unreachable` when it cannot say. */
  role: z.enum(["master", "replica", "down", "frozen", "unreachable", "unknown"]),
  /** A replica's master: its node id and sandbox name. */
  masterId: z.string().nullable(),
  master: z.string().nullable(),
  slots: z.string(),
  clusterState: z.string().nullable(),
  linkUp: z.boolean().nullable(),
  createdRole: NodeRole.nullable(),
  createdReplicaOf: z.string().nullable(),
});
export type ClusterNodeStatus = z.infer<typeof ClusterNodeStatusSchema>;

/** Who serves which slots. */
export const ClusterMastersSchema = z.array(z.object({ node: z.string(), slots: z.string(), slotCount: z.number() }));

/** `stack status --cluster --json`: the cluster sandbox without its secrets. */
export const ClusterPublicStatusSchema = z.object({
  kind: z.literal("redis-cluster"),
  clusterId: z.string(),
  running: z.boolean(),
  ready: z.boolean(),
  dir: z.string(),
  basePort: z.number(),
  supervisorPid: z.number(),
  nodeTimeoutMs: z.number(),
  control: z.object({ url: z.string() }).nullable(),
  /** The layer stand-ins on cluster clients, once they listen. */
  layers: z.array(ClusterLayerStateSchema),
  /** "ok" when every answering node reports cluster_state:ok; slots as the first answering node counts them. */
  cluster: z.object({
    state: z.string(),
    slots: z.object({ assigned: z.number(), ok: z.number(), pfail: z.number(), fail: z.number() }),
    healthy: z.boolean(),
    problems: z.array(z.string()),
  }),
  masters: ClusterMastersSchema,
  nodes: z.array(ClusterNodeStatusSchema),
});
export type ClusterPublicStatus = z.infer<typeof ClusterPublicStatusSchema>;

/** GET /status: the public status plus what the supervisor knows live. */
export const ClusterControlStatusSchema = ClusterPublicStatusSchema.extend({
  layers: z.array(ClusterLayerStateSchema.extend({ hung: z.boolean(), misbehaving: MisbehaveMode.nullable() })),
  faults: z.array(ActiveFaultSchema),
  resetting: z.boolean(),
});
export type ClusterControlStatus = z.infer<typeof ClusterControlStatusSchema>;

/** GET /faults. */
export const ClusterFaultListSchema = z.object({ faults: z.array(ActiveFaultSchema) });

/** POST /reset: answered only once the cluster is ok with the roles as created and every layer reports ok. */
export const ClusterResetAnswerSchema = z.object({
  healthy: z.literal(true),
  tookMs: z.number(),
  undone: z.array(z.string()),
  thawed: z.array(z.string()),
  started: z.array(z.string()),
  /** Layers that were breaking their contract on purpose and keep it again. */
  behaving: z.array(z.enum(LAYER_IDS)),
  /** Nodes created master that were replicas and took their slots back. */
  rolesRestored: z.array(z.string()),
  fillerRemoved: z.number(),
  /** Who serves which slots after the reset. */
  masters: ClusterMastersSchema,
  /** Nodes whose live role still differs from the one they were created with (empty after a good reset). */
  rolesChanged: z.array(z.object({ node: z.string(), createdRole: z.string().nullable(), role: z.string() })),
});
export type ClusterResetAnswer = z.infer<typeof ClusterResetAnswerSchema>;

/** POST /nodes/:name/failover. */
export const ClusterFailoverAnswerSchema = z.object({
  node: z.string(),
  /** The master it replicated, by sandbox name (null when its id is not one of ours). */
  promotedFrom: z.string().nullable(),
  seconds: z.number(),
});
export type ClusterFailoverAnswer = z.infer<typeof ClusterFailoverAnswerSchema>;

/** POST /nodes/:name/fill: the fill's result, the slot its keys hash to, and the fault that removes them. */
export const ClusterFillAnswerSchema = FillResultSchema.extend({ node: z.string(), slot: z.number(), fault: ActiveFaultSchema });
export type ClusterFillAnswer = z.infer<typeof ClusterFillAnswerSchema>;

/** POST and DELETE /layers/:id/misbehave (both sandboxes). */
export const MisbehaveAnswerSchema = z.object({ layer: z.enum(LAYER_IDS), misbehaving: MisbehaveMode.nullable(), fault: ActiveFaultSchema.optional() });
export type MisbehaveAnswer = z.infer<typeof MisbehaveAnswerSchema>;
