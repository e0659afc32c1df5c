import "server-only";
/**
 * What a chaos target can do, as capabilities a scenario is written against (not a control
 * client): each with its undo, and a TTL on the target's side so the fault ends even when the
 * console dies mid-run. A target that lacks one answers the scenario `lacks(capability, why)`:
 * the start is a 400 naming the capability and the reason.
 */
import type { ConnectionsReleased, ExhaustAnswer } from "../contract/control-answers";
import type { ExhaustRequest } from "../contract/control-requests";
import type { Capability } from "./targets/capabilities";

/** `exhaust-connections`: Redis refuses new connections while the target holds every free one on the master. */
export interface ExhaustConnections {
  /** Holds connections until maxclients minus the headroom are in use, for at most `ttlSeconds`. */
  exhaustConnections(fault: ExhaustRequest): Promise<ExhaustAnswer>;
  /** The undo: closes them, and says how many connections the master refused while they were held. */
  releaseConnections(): Promise<ConnectionsReleased>;
}

/** A target's answer for a scenario whose capability it does not have. */
export function lacks(capability: Capability, why: string): { unavailable: string } {
  return { unavailable: `this target lacks the "${capability}" capability: ${why}` };
}
