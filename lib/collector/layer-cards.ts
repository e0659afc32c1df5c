import "server-only";
/**
 * Each layer's card for a push: the verdict on its latest probe answer (layer-verdicts.ts), not
 * judged while one shard of a cluster is down and the others serve (whether the probe touched it
 * is not known), and saying so when a probe has been out longer than a healthy layer ever takes
 * (the answer shown is older).
 */
import { downShards } from "../cluster/availability";
import type { LayerConfig } from "../config/schema";
import type { ClusterSnapshot } from "../snapshot/cluster-types";
import type { LayerSnapshot, Snapshot } from "../snapshot/types";
import type { LayerProber } from "./layer-probes";
import type { LayerVerdicts } from "./layer-verdicts";

/** A probe out this long is said on the layer's card (healthy layers answer in well under that). */
export const SLOW_PROBE_MS = 1000;

export function layerCards(
  layers: LayerConfig[],
  judging: { verdicts: LayerVerdicts; prober: LayerProber },
  /** Whether Redis is up for the layers; null: one shard down while the others serve. */
  upForLayers: boolean | null,
  prev: Snapshot,
  nowIso: string,
  cluster: ClusterSnapshot | undefined,
): LayerSnapshot[] {
  const { verdicts, prober } = judging;
  return layers.map((l) => {
    const verdict = verdicts.judge(l.id, prober.latest(l), upForLayers, prev, nowIso);
    const judged =
      upForLayers === null
        ? {
            ...verdict,
            summary: `${verdict.summary} · not judged: ${(cluster ? downShards(cluster) : []).join(", ") || "a shard"} down while the other shards serve`,
          }
        : verdict;
    const waitingMs = prober.waitingMs(l);
    return waitingMs !== null && waitingMs >= SLOW_PROBE_MS
      ? { ...judged, waitingMs, summary: `${judged.summary} · no answer yet to a probe sent ${(waitingMs / 1000).toFixed(1)} s ago` }
      : judged;
  });
}
