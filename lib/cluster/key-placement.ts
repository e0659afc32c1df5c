/**
 * Which shard holds which layer's keys, from the key classes' hash tags: a class tagged per
 * tenant sits on the shard of the tenant's slot (shown for the tenant the console probes with);
 * classes tagged per session or prompt, or not at all, are spread over every shard. Pure.
 */
import { CLUSTER_KEY_CLASSES, hashSlot } from "../contract/cluster-keys";
import { FAILURE_CONTRACT, LAYER_IDS } from "../contract/failure-contract";
import type { ClusterKeyPlacement, ClusterShard } from "../snapshot/cluster-types";
import { shardOfSlot } from "./topology";

export function keyPlacement(shards: Pick<ClusterShard, "name" | "slots">[], tenant: string): ClusterKeyPlacement[] {
  return LAYER_IDS.flatMap((layer) =>
    FAILURE_CONTRACT[layer].keyPrefixes.map((prefix): ClusterKeyPlacement => {
      const cls = CLUSTER_KEY_CLASSES[prefix];
      const tag = cls?.tag ?? "none";
      if (tag !== "tenant") return { layer, prefix, tag, spread: true, why: cls?.why ?? "single-key operations" };
      const slot = hashSlot(`{${tenant}}`);
      return { layer, prefix, tag, tenant, slot, shard: shardOfSlot(shards, slot), spread: false, why: cls.why };
    }),
  );
}
