/**
 * Making a layer break its contract during a fault, as a parameter both sandboxes' outages take:
 * the console's detection of a breach is tested on the Sentinel sandbox and the Cluster alike.
 */
import { z } from "zod";
import { LAYER_IDS, type LayerId } from "../../contract/failure-contract";

export const MisbehaveParam = z
  .enum(["none", "L1", "L2", "L3", "CP", "all"], { message: 'misbehave must be "none", a layer id (L1, L2, L3, CP) or "all"' })
  .default("none")
  .meta({
    help: "sandbox only: make this layer break its contract during the outage (L1 fails closed, L2 hides its degradation, L3 fails open, CP lies in health), to see the console catch it",
  });

/** The layers told to misbehave. */
export function misbehavingLayers(misbehave: z.infer<typeof MisbehaveParam>): LayerId[] {
  return misbehave === "none" ? [] : misbehave === "all" ? [...LAYER_IDS] : [misbehave];
}
