/**
 * "Writing to a replica": a layer whose probe saw Redis answer READONLY (the layers' x-redis-error
 * header, or READONLY in what it answered) writes to a node that is no longer master — after a
 * failover, clients pinned to the old master's address. Correlated with the collector's
 * layer-address check (ROLE through the layers' address), it says the layers still point at the
 * old master. Pure and client-safe.
 */
import type { LayerSnapshot, Snapshot } from "@/lib/snapshot/types";

const READONLY = /\bREADONLY\b/;

/** True when the layer's latest probe saw a READONLY from Redis. */
export function writingToReplica(layer: LayerSnapshot): boolean {
  const o = layer.observed;
  if (
    o.requests.some(
      (r) =>
        r.headers?.["x-redis-error"] === "READONLY" ||
        READONLY.test(r.error ?? "") ||
        Object.values(r.json ?? {}).some((v) => typeof v === "string" && READONLY.test(v)),
    )
  )
    return true;
  return READONLY.test(o.summary) || READONLY.test(o.error ?? "");
}

export interface ReplicaWrites {
  layers: LayerSnapshot["id"][];
  /** The layers' address check says ROLE there is a replica: the address still leads to the old master. */
  addressOnReplica: boolean;
  sentence: string;
}

/** The Overview's line for layers writing to a replica, or null when none is. */
export function replicaWrites(snapshot: Pick<Snapshot, "layers" | "redis">): ReplicaWrites | null {
  const layers = snapshot.layers.filter(writingToReplica).map((l) => l.id);
  if (!layers.length) return null;
  const addressOnReplica = snapshot.redis.layerAddress?.state === "replica";
  const who = `${layers.join(", ")} ${layers.length === 1 ? "is" : "are"} writing to a replica (Redis answers READONLY)`;
  const sentence = addressOnReplica
    ? `${who}: the layers still point at the old master, which a failover turned into a replica. Point their Redis address at the new master (or a Sentinel-aware address).`
    : `${who}: their Redis address leads to a node that is no longer master.`;
  return { layers, addressOnReplica, sentence };
}
