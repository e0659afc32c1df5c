import "server-only";
/** A chaos scenario: its description, its validated parameters, and its steps and checks. */
import type { z } from "zod";
import type { DevstackControl } from "./devstack-control";
import type { RunContext } from "./run-context";
import type { ScenarioInfo } from "./types";

export interface Scenario<P = Record<string, unknown>, C = DevstackControl> {
  info: ScenarioInfo;
  params: z.ZodType<P>;
  run(ctx: RunContext<P, C>): Promise<void>;
}

/** A scenario as a target holds it: its parameters' type is its own business (it parses them). */
export type AnyScenario<C> = Scenario<unknown, C>;

/** What a target answers for each scenario: how it runs it, or why it cannot (a start answers 400 with the reason). */
export type TargetScenario<C> = AnyScenario<C> | { unavailable: string };

export function isUnavailable<T extends object>(s: T): s is Extract<T, { unavailable: string }> {
  return "unavailable" in s;
}

export { PREFLIGHT_STEP } from "./types";

/** Steps every run ends with, whatever the scenario. */
export const CLOSING_STEPS = ["restore the stack", "post-flight check"] as const;

/**
 * Seconds between two epoch instants, to 0.01 s, never below 0: a snapshot's time is when its
 * tick began, which can precede the event it saw (shown as "< 1 tick", see format.ts).
 */
export function secondsBetween(from: number, to: number): number {
  return Math.max(0, Math.round((to - from) / 10) / 100);
}
