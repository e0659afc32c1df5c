/**
 * Each layer stand-in can be told to break its failure contract in one realistic way, so the
 * console's detection of a breach (grace period, violation, banner, metric) can be tested and
 * shown. Off by default; the control API turns a mode on with a TTL and reset turns it off.
 */
import type { LayerId } from "../../lib/contract/failure-contract";
import type { MisbehaveMode } from "../../lib/contract/misbehave-modes";

export { MISBEHAVE_MODES, type MisbehaveMode } from "../../lib/contract/misbehave-modes";

/** A layer's switch: read by its handlers on every request. */
export class Misbehaviour {
  mode: MisbehaveMode | null = null;

  constructor(readonly layer: LayerId) {}

  get on(): boolean {
    return this.mode !== null;
  }
}
