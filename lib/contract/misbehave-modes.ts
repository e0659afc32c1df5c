/**
 * How each sandbox layer can be told to break its failure contract (POST /layers/:id/misbehave),
 * shared by the devstack's layers and the chaos scenarios that ask for it.
 */
import type { LayerId } from "./failure-contract";

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
