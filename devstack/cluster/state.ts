/**
 * The cluster sandbox's state file (`<dir>/cluster-state.json`, mode 0600): who runs, on which
 * ports, with which password and control token. It holds secrets: only `clusterStatus()`'s
 * secret-free view is ever printed. Separate from the Sentinel sandbox's state.json, which the
 * console reads.
 */
import fs from "node:fs";
import { ClusterStateSchema, clusterStateFile, type ClusterState } from "../../lib/contract/cluster-state";
import { writeStateFile } from "../sandbox/state-file";

export {
  ClusterNodeStateSchema,
  ClusterStateSchema,
  clusterStateFile,
  parseClusterState,
  readClusterState,
  type ClusterNodeState,
  type ClusterState,
} from "../../lib/contract/cluster-state";

/** Writes atomically (tmp + rename, 0600) what passes the schema, so a reader never sees half a file. */
export function writeClusterState(state: ClusterState): void {
  writeStateFile(clusterStateFile(state.dir), ClusterStateSchema.parse(state));
}

export function removeClusterState(dir: string): void {
  fs.rmSync(clusterStateFile(dir), { force: true });
}
