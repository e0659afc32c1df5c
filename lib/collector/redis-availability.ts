/**
 * Whether Redis is up, as a push says it and as the layers are judged against it. Pure: the
 * collector hands it what the last look saw. On a Sentinel deployment the layers' own address
 * decides (a replica answers reads but refuses every write); on a Cluster, whether every slot is
 * served.
 */
import { clusterAvailability, clusterUpForLayers } from "../cluster/availability";
import type { ClusterSnapshot } from "../snapshot/cluster-types";
import type { LayerAddressView } from "../snapshot/types";

export interface AvailabilityInput {
  /** Some node answers as master. */
  masterUp: boolean;
  /** The layers' address as last checked; undefined when the deployment has no layer path. */
  layerAddress: LayerAddressView | undefined;
  /** A check of that address is still out. */
  addressCheckOut: boolean;
  cluster: ClusterSnapshot | undefined;
}

export interface Availability {
  /** Reachable for reads (a replica answering counts); null: unknown. */
  available: boolean;
  availabilityDetail: string;
  /**
   * Up for the layers' contract. On a cluster, null while one shard is down and the others serve:
   * whether a layer's probe touched that shard is not known, so the layer is not judged.
   */
  upForLayers: boolean | null;
}

export function redisAvailability({ masterUp, layerAddress, addressCheckOut, cluster }: AvailabilityInput): Availability {
  // On a cluster, Redis is up for the layers when every slot is served, down when none is, and
  // unknown for a layer while one shard is down (its probe may or may not touch that shard).
  const clusterUp = cluster ? clusterUpForLayers(cluster) : undefined;
  // Reachable as before (a replica answers: reads work); whether writes work is layerAddress.state.
  // An address check still out while no master answers is not taken as reachable on its old answer.
  const addressKnown = layerAddress !== undefined && !(addressCheckOut && !masterUp);
  const available = clusterUp !== undefined ? clusterUp !== false : !addressKnown ? masterUp : layerAddress.state !== "unreachable";
  const availabilityDetail = cluster
    ? clusterAvailability(cluster, clusterUp ?? null)
    : !addressKnown
      ? (layerAddress !== undefined ? "the layers' Redis address has not answered yet; " : "") + (masterUp ? "master answers" : "no master answers")
      : layerAddress.state === "unreachable"
        ? `the layers' Redis address: ${layerAddress.detail}`
        : layerAddress.detail;
  // The contract speaks of Redis failing for the layers: an address that leads to a replica
  // answers reads but refuses every write, so the layers are judged as in an outage, not as
  // breaking their contract by failing open, degrading or failing hard.
  const upForLayers = clusterUp !== undefined ? clusterUp : available && !(addressKnown && layerAddress.state === "replica");
  return { available, availabilityDetail, upForLayers };
}
