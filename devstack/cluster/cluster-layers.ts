/**
 * The layer stand-ins on the cluster sandbox: the same L1, L2, L3 and CP (HTTP APIs, failure
 * policies, misbehave) as the Sentinel sandbox's, each with a cluster client straight to the
 * nodes (no proxy) and hash-tagged keys, at base+30..+33.
 */
import type { ClusterState } from "../../lib/contract/cluster-state";
import type { LayerServer } from "../layers/layer-server";
import { layerDefinitions, listenLayers } from "../layers/layers";
import { clusterAccess } from "../layers/redis-access";
import { clusterLayerPort, type ClusterSettings } from "./cluster-settings";
import type { ClusterNode } from "./cluster-topology";

/** Starts the four layers; every node is a seed of their clients, as the platform lists all of them. */
export async function startClusterLayers(settings: ClusterSettings, nodes: ClusterNode[], password: string, log: (m: string) => void): Promise<LayerServer[]> {
  const ports = nodes.map((n) => n.process.port);
  const definitions = layerDefinitions((id) => clusterAccess(id, ports, { password }), settings.llmLatencyMs);
  return listenLayers(definitions, (id) => clusterLayerPort(settings.basePort, id), log);
}

/** The state file's `layers`. */
export function layerStates(layers: LayerServer[]): ClusterState["layers"] {
  return layers.map((l) => ({ id: l.id, port: l.port, url: l.url }));
}
