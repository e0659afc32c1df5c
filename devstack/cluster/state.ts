/**
 * The cluster sandbox's state file (`<dir>/cluster-state.json`, mode 0600): who runs, on which
 * ports, with which password and control token. It holds secrets: only `clusterStatus()`'s
 * secret-free view is ever printed. Separate from the Sentinel sandbox's state.json, which the
 * console reads.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

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

/** Writes atomically (tmp + rename, 0600) what passes the schema, so a reader never sees half a file. */
export function writeClusterState(state: ClusterState): void {
  const valid = ClusterStateSchema.parse(state);
  fs.mkdirSync(state.dir, { recursive: true, mode: 0o700 });
  const file = clusterStateFile(state.dir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(valid, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function removeClusterState(dir: string): void {
  fs.rmSync(clusterStateFile(dir), { force: true });
}
