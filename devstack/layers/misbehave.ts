/**
 * Each layer stand-in can be told to break its failure contract in one realistic way, so the
 * console's detection of a breach (grace period, violation, banner, metric) can be tested and
 * shown. Off by default; the control API turns a mode on with a TTL and reset turns it off.
 */
import type { LayerId } from "../../lib/contract/failure-contract";

/** The one way each layer misbehaves while Redis is down. */
export const MISBEHAVE_MODES = {
  /** Refuses requests it cannot rate-limit (500, APISIX's `allow_degradation: false`) instead of failing open. */
  L1: "fail-closed",
  /** Keeps /health "ok" while it bypasses the cache and skips the token budget. */
  L2: "hide-degradation",
  /** Answers 201 to a session create it could not store; the read then 404s. */
  L3: "fail-open",
  /** /health says "ok" while every portal call answers 5xx. */
  CP: "lie-in-health",
} as const satisfies Record<LayerId, string>;
export type MisbehaveMode = (typeof MISBEHAVE_MODES)[LayerId];

/** A layer's switch: read by its handlers on every request. */
export class Misbehaviour {
  mode: MisbehaveMode | null = null;

  constructor(readonly layer: LayerId) {}

  get on(): boolean {
    return this.mode !== null;
  }
}
