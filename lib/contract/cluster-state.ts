/**
 * The cluster sandbox's state file (`<dir>/cluster-state.json`, mode 0600), shared by the
 * devstack (which writes it) and the console (which reads where the nodes, layers and control
 * API are, and the password). It holds secrets: only the devstack's secret-free status view is
 * ever printed.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LAYER_IDS } from "./failure-contract";

const Port = z.number().int().min(1).max(65535);

export const ClusterNodeStateSchema = z.object({
  name: z.string().regex(/^node-\d+$/),
  port: Port,
  busPort: Port,
  /** Null while the process is not running. */
  pid: z.number().int().nullable(),
  frozen: z.boolean().optional(),
  /** The cluster's id for this node (CLUSTER MYID), once the node answered. */
  id: z.string().nullable(),
  /** The role `redis-cli --cluster create` gave it; failovers change the live role, not this. */
  createdRole: z.enum(["master", "replica"]).nullable(),
  /** For a replica as created: the name of its master. */
  createdReplicaOf: z.string().nullable(),
});
export type ClusterNodeState = z.infer<typeof ClusterNodeStateSchema>;

export const ClusterLayerStateSchema = z.object({ id: z.enum(LAYER_IDS), port: Port, url: z.string() });

export const ClusterStateSchema = z.object({
  kind: z.literal("redis-cluster"),
  clusterId: z.string(),
  dir: z.string(),
  host: z.literal("127.0.0.1"),
  basePort: Port,
  password: z.string().min(16),
  controlToken: z.string().min(16),
  supervisorPid: z.number().int(),
  startedAt: z.string(),
  /** False until the cluster is created, every node reports cluster_state:ok and the control API listens. */
  ready: z.boolean(),
  nodes: z.array(ClusterNodeStateSchema),
  /** The layer stand-ins on cluster clients, once they listen. */
  layers: z.array(ClusterLayerStateSchema).default([]),
  control: z.object({ port: Port, url: z.string() }).nullable(),
  nodeTimeoutMs: z.number().int().positive(),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export function clusterStateFile(dir: string): string {
  return path.join(dir, "cluster-state.json");
}

/** Parses the file's text; null when it is not a cluster state file. */
export function parseClusterState(text: string): ClusterState | null {
  try {
    const parsed = ClusterStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The cluster state in `dir`, or null when there is none (or it is unreadable or of another shape). */
export function readClusterState(dir: string): ClusterState | null {
  try {
    return parseClusterState(fs.readFileSync(clusterStateFile(dir), "utf8"));
  } catch {
    return null;
  }
}
