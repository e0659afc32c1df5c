/**
 * The cluster sandbox's port layout relative to its base port (default 7100), shared by the
 * devstack (which binds them) and the console (which expects them before the state file says).
 * Nodes at +0..+5, the control API at +10, the cluster bus at +20..+25, the layers at +30..+33.
 */
import type { LayerId } from "./failure-contract";

export const CLUSTER_DEFAULT_BASE_PORT = 7100;
export const CLUSTER_DEFAULT_DIR = ".devstack-cluster";
export const CLUSTER_NODE_COUNT = 6;
export const CLUSTER_CONTROL_OFFSET = 10;
export const CLUSTER_BUS_OFFSET = 20;
export const CLUSTER_LAYER_OFFSETS: Record<LayerId, number> = { L1: 30, L2: 31, L3: 32, CP: 33 };
/** Every port the cluster sandbox may use lies below base + CLUSTER_PORT_SPAN. */
export const CLUSTER_PORT_SPAN = 34;
