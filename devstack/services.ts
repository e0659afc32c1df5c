/** Starts the services around the topology: fault proxy, layer stand-ins, workloads, control API. */
import type { StackContext, StackService } from "./context";
import type { StackState } from "./state";

export interface StartedServices {
  services: StackService[];
  proxy: StackState["proxy"];
  control: StackState["control"];
  layers: StackState["layers"];
}

export async function startServices(_ctx: StackContext): Promise<StartedServices> {
  // The proxy, layers and control API arrive with the devstack-layers issue.
  return { services: [], proxy: null, control: null, layers: [] };
}
