/**
 * The sandbox control API's answers for the stack, its nodes and its faults: the devstack
 * builds them to these types, the typed client parses them with these schemas, so a sandbox
 * that answers otherwise fails with the field's name instead of a wrong number downstream.
 * Workload answers (traffic, integrity) are in workload-answers.ts.
 */
import { z } from "zod";
import { CUT_MODES, LAYER_ADDRESSING, NODE_ACTIONS } from "./control-requests";
import { LAYER_IDS } from "./failure-contract";

export const FAULT_KINDS = [
  "proxy-latency",
  "proxy-cut",
  "proxy-blackhole",
  "node-kill",
  "node-freeze",
  "memory-fill",
  "layer-hang",
  "layer-misbehave",
  "proxy-addressing",
  "connections-exhaust",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault as the fault book holds it: what, where, with which parameters, until when. */
export const ActiveFaultSchema = z.object({
  id: z.string(),
  kind: z.enum(FAULT_KINDS),
  target: z.string(),
  params: z.record(z.string(), z.unknown()),
  ttlSeconds: z.number(),
  startedAt: z.string(),
  expiresAt: z.string(),
});
export type ActiveFault = z.infer<typeof ActiveFaultSchema>;

/** Every fault route answers the fault it recorded. */
export const FaultAnswerSchema = z.object({ fault: ActiveFaultSchema });
export type FaultAnswer = z.infer<typeof FaultAnswerSchema>;

export const ProxyFaultStateSchema = z.object({
  latency: z.object({ ms: z.number(), jitterMs: z.number() }).nullable(),
  cut: z.enum(CUT_MODES).nullable(),
  blackhole: z.boolean(),
});
export type ProxyFaultState = z.infer<typeof ProxyFaultStateSchema>;

/** GET /faults: soonest expiry first. */
export const FaultListSchema = z.object({ faults: z.array(ActiveFaultSchema), proxy: ProxyFaultStateSchema });
export type FaultList = z.infer<typeof FaultListSchema>;

/** POST/DELETE/GET /proxy/addressing: the mode now, the node a pinned address leads to, the sandbox's default. */
export const AddressingAnswerSchema = z.object({
  mode: z.enum(LAYER_ADDRESSING),
  defaultMode: z.enum(LAYER_ADDRESSING),
  pinnedTo: z.string().nullable(),
  fault: ActiveFaultSchema.nullable(),
});
export type AddressingAnswer = z.infer<typeof AddressingAnswerSchema>;

/** DELETE /proxy/faults. */
export const ProxyClearedSchema = z.object({ undone: z.array(z.enum(FAULT_KINDS)), proxy: ProxyFaultStateSchema });
export type ProxyCleared = z.infer<typeof ProxyClearedSchema>;

/** POST /nodes/:name/:action and /processes/:action; kill and freeze also answer the fault. */
export const NodeActionAnswerSchema = z.object({
  node: z.string(),
  action: z.enum(NODE_ACTIONS),
  running: z.boolean().optional(),
  frozen: z.boolean().optional(),
  pid: z.number().nullable().optional(),
  fault: ActiveFaultSchema.optional(),
});
export type NodeActionAnswer = z.infer<typeof NodeActionAnswerSchema>;

/** DELETE /layers/:id/hang. */
export const LayerHangClearedSchema = z.object({ layer: z.enum(LAYER_IDS), hung: z.boolean() });
export type LayerHangCleared = z.infer<typeof LayerHangClearedSchema>;

/** The filler the memory fault wrote (the master's memory after it). */
export const FillResultSchema = z.object({
  keysWritten: z.number(),
  usedMemory: z.number(),
  maxmemory: z.number(),
  percent: z.number(),
  reachedTarget: z.boolean(),
  /** True when Redis began evicting before the target: the ceiling is reached. */
  evicting: z.boolean(),
  tookMs: z.number(),
});
export type FillResult = z.infer<typeof FillResultSchema>;
/** POST /memory/fill. */
export const FillAnswerSchema = FillResultSchema.extend({ fault: ActiveFaultSchema });
export type FillAnswer = z.infer<typeof FillAnswerSchema>;

/** POST /redis/connections/exhaust: the master's clients held open until maxclients minus the headroom. */
export const ExhaustAnswerSchema = z.object({
  node: z.string(),
  maxclients: z.number(),
  /** connected_clients before the first held connection. */
  connectedBefore: z.number(),
  opened: z.number(),
  /** connected_clients once they were open. */
  connectedAfter: z.number(),
  /** A new connection, tried once they were held, was refused with "max number of clients reached": the fault is in place. */
  refusesNew: z.boolean(),
  /** The layers' connections the fault proxy closed (dropLayerConnections), 0 otherwise. */
  layerConnectionsDropped: z.number(),
  fault: ActiveFaultSchema,
});
export type ExhaustAnswer = z.infer<typeof ExhaustAnswerSchema>;

/** DELETE /redis/connections: what was released, and how many connections Redis refused while they were held. */
export const ConnectionsReleasedSchema = z.object({
  released: z.number(),
  /** rejected_connections grew by this much on the master between the exhaust (its own check excluded) and the release; null when none were held. */
  refusedWhileHeld: z.number().nullable(),
});
export type ConnectionsReleased = z.infer<typeof ConnectionsReleasedSchema>;

/** DELETE /memory/filler. */
export const FillerRemovedSchema = z.object({ removed: z.number() });

/** POST /sentinel/failover. */
export const FailoverAnswerSchema = z.object({ started: z.literal(true), via: z.string(), previousMaster: z.string().nullable() });
export type FailoverAnswer = z.infer<typeof FailoverAnswerSchema>;

/** POST /reset: answered only once the topology is healthy and every layer reports ok. */
export const ResetReportSchema = z.object({
  tookMs: z.number(),
  undone: z.array(z.string()),
  thawed: z.array(z.string()),
  started: z.array(z.string()),
  fillerRemoved: z.number(),
  master: z.string(),
});
export type ResetReport = z.infer<typeof ResetReportSchema>;
export const ResetAnswerSchema = ResetReportSchema.extend({ healthy: z.literal(true) });
export type ResetAnswer = z.infer<typeof ResetAnswerSchema>;

/** `stack status --json`: the sandbox without its secrets. */
export const PublicStatusSchema = z.object({
  stackId: z.string(),
  running: z.boolean(),
  ready: z.boolean(),
  masterName: z.string(),
  supervisorPid: z.number(),
  nodes: z.array(z.object({ name: z.string(), role: z.string(), host: z.string(), port: z.number(), pid: z.number().nullable(), frozen: z.boolean() })),
  sentinels: z.array(z.object({ name: z.string(), host: z.string(), port: z.number(), pid: z.number().nullable(), master: z.string().nullable() })),
  sentinelsAgree: z.boolean(),
  proxy: z.object({ host: z.string(), port: z.number() }).nullable(),
  control: z.object({ url: z.string() }).nullable(),
  layers: z.array(z.object({ id: z.enum(LAYER_IDS), url: z.string() })),
  /** How clients log in (`stack up --tls --acl`): TLS only with this CA, ACL users (their names only). Absent on an older supervisor. */
  security: z.object({ tls: z.object({ ca: z.string() }).nullable(), aclUsers: z.array(z.string()).nullable() }).optional(),
});
export type PublicStatus = z.infer<typeof PublicStatusSchema>;

/** GET /status: the public status plus what the supervisor knows live. */
export const StackStatusSchema = PublicStatusSchema.extend({
  proxy: z.object({ host: z.string(), port: z.number(), upstream: z.string().nullable(), connections: z.number(), faults: ProxyFaultStateSchema }),
  layers: z.array(z.object({ id: z.enum(LAYER_IDS), url: z.string(), hung: z.boolean() })),
  faults: z.array(ActiveFaultSchema),
  workloads: z.object({ traffic: z.boolean(), integrity: z.boolean() }),
  resetting: z.boolean(),
});
export type StackStatus = z.infer<typeof StackStatusSchema>;
