import "server-only";
/**
 * The scenarios written once against capabilities (lib/chaos/capabilities.ts) that a dev stack
 * runs as the sandbox does: the same scenario file, with the dev stack's offers of what it needs.
 * The others still have their dev-stack drivers (external-scenarios.ts).
 */
import { offeredBy } from "../capabilities";
import type { AnyScenario } from "../scenario";
import { connectionExhaustion } from "../scenarios/connection-exhaustion";
import type { ExternalTarget } from "./external";
import type { ExternalScenario } from "./external-params";

export const EXTERNAL_CAPABILITY_SCENARIOS = {
  "connection-exhaustion": offeredBy(connectionExhaustion, { "exhaust-connections": (t: ExternalTarget) => t.connections }),
} satisfies Partial<Record<ExternalScenario, AnyScenario<ExternalTarget>>>;

export type CapabilityDriven = keyof typeof EXTERNAL_CAPABILITY_SCENARIOS;

export function isCapabilityDriven(s: ExternalScenario): s is CapabilityDriven {
  return s in EXTERNAL_CAPABILITY_SCENARIOS;
}
