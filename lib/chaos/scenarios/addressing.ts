import "server-only";
/**
 * The `addressing` parameter of the failover and restart scenarios: "follow" (the sandbox's
 * Sentinel-aware address) or "pinned" (a fixed address to the node that is master at the start,
 * as the guide's platform has it: redis-rs ConnectionManager and APISIX on `gw-redis`). The run
 * sets it through the control API and undoes it however it ends; /reset undoes it as well.
 */
import { z } from "zod";
import { LAYER_ADDRESSING, type LayerAddressing } from "../../contract/control-requests";
import type { LayerTraffic } from "../../contract/workload-answers";
import type { SetAddressing } from "../capabilities";

export const AddressingParam = z
  .enum(["sandbox", ...LAYER_ADDRESSING], {
    message:
      'addressing must be "sandbox" (the sandbox\'s own setting), "follow" (the address follows the master) or "pinned" (a fixed address to the first master)',
  })
  .default("sandbox")
  .meta({
    help: "the layers' Redis address: the sandbox's own (pinned, as the platform's gw-redis, unless started with --layer-addressing follow), following the master, or pinned to the master of the start",
  });

/**
 * The addressing the run uses: the one asked for (set through the control API for the run and
 * undone however it ends; /reset undoes it as well), or, when none was, the sandbox's own, left
 * as it is. `undo` never throws.
 */
export async function applyAddressing(
  control: SetAddressing,
  mode: LayerAddressing | "sandbox",
  ttlSeconds: number,
): Promise<{ mode: LayerAddressing; asked: boolean; undo: () => Promise<void> }> {
  if (mode === "sandbox") return { mode: (await control.addressing()).mode, asked: false, undo: async () => {} };
  await control.setAddressing({ mode, ttlSeconds });
  return {
    mode,
    asked: true,
    undo: async () => {
      await control.clearAddressing().catch(() => {
        /* the fault's TTL and the closing reset undo it too */
      });
    },
  };
}

/** The run's `addressing` metric: the mode, and whether it was the sandbox's own. */
export function addressingMetric(a: { mode: LayerAddressing; asked: boolean }): string {
  return a.asked ? a.mode : `${a.mode} (the sandbox's own)`;
}

/** "READONLY×120, refused×4" from the traffic's Redis error classes, or null when none was named. */
export function redisErrorsLine(l: LayerTraffic | undefined): string | null {
  const entries = Object.entries(l?.byRedisError ?? {}).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([k, n]) => `${k}×${n}`).join(", ") : null;
}
