import "server-only";
/**
 * The dev stacks' layers judged over a hold's samples, by the shared agreement share
 * (lib/contract/verdict-rules.ts); a layer the deployment's config does not name is not exercised.
 */
import type { Collector } from "../../collector/collector";
import type { LayerConfig } from "../../config/schema";
import { LAYER_IDS, type LayerId, type LayerStatus } from "../../contract/failure-contract";
import { agreement, agreementLine } from "../../contract/verdict-rules";
import type { Snapshot } from "../../snapshot/types";
import type { ClaimId } from "../types";
import type { CheckInput } from "../verdict";

/** What judging the layers needs of a run: its deployment's collector (the configured layers) and its check. */
export interface LayerJudge {
  collector: Collector;
  deployment: string;
  check(c: CheckInput): void;
}

export const layerOf = (ctx: LayerJudge, id: LayerId): LayerConfig | undefined => ctx.collector.settings.layers.find((l) => l.id === id);
export const notConfigured = (ctx: LayerJudge, id: LayerId) => `${id} is not configured for deployment "${ctx.deployment}": only the Redis side ran`;

/**
 * Each layer over a hold's snapshots, by the shared agreement share: `keeps` says whether one
 * sample shows what the rule expects. A layer the config does not name is not exercised, and an
 * empty hold neither.
 */
export function judgeLayers(
  ctx: LayerJudge,
  held: Snapshot[],
  rule: { claim?: ClaimId; expect(id: LayerId): string; keeps(id: LayerId, status: LayerStatus): boolean },
): void {
  const { claim } = rule;
  for (const id of LAYER_IDS) {
    const expect = rule.expect(id);
    if (!layerOf(ctx, id)) {
      ctx.check({ claim, layer: id, expect, observed: "layer not configured", notExercised: notConfigured(ctx, id) });
      continue;
    }
    const seen = held.map((s) => s.layers.find((l) => l.id === id)?.status).filter((x) => x !== undefined);
    const a = agreement(seen.map((st) => rule.keeps(id, st)));
    if (a.held === null) ctx.check({ claim, layer: id, expect, observed: "no sample", notExercised: "no snapshot during the hold" });
    else ctx.check({ claim, layer: id, expect, observed: agreementLine(a), ok: a.held });
  }
}
