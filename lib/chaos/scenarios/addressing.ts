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
import type { DevstackControl } from "../devstack-control";

export const AddressingParam = z
  .enum(LAYER_ADDRESSING, { message: 'addressing must be "follow" (the address follows the master) or "pinned" (a fixed address to the first master)' })
  .default("follow")
  .meta({ help: "the layers' Redis address: following the master, or pinned to the first master (the platform's compose service name)" });

/** Sets the layers' addressing for the run; the returned function undoes it (never throws). */
export async function applyAddressing(control: DevstackControl, mode: LayerAddressing, ttlSeconds: number): Promise<() => Promise<void>> {
  await control.setAddressing({ mode, ttlSeconds });
  return async () => {
    await control.clearAddressing().catch(() => {
      /* the fault's TTL and the closing reset undo it too */
    });
  };
}

/** "READONLY×120, refused×4" from the traffic's Redis error classes, or null when none was named. */
export function redisErrorsLine(l: LayerTraffic | undefined): string | null {
  const entries = Object.entries(l?.byRedisError ?? {}).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([k, n]) => `${k}×${n}`).join(", ") : null;
}
