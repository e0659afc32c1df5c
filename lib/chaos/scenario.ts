import "server-only";
/** A chaos scenario: its description, its validated parameters, and its steps and checks. */
import type { z } from "zod";
import type { RunContext } from "./run-context";
import type { ScenarioInfo } from "./types";

export interface Scenario<P = Record<string, unknown>> {
  info: ScenarioInfo;
  params: z.ZodType<P>;
  run(ctx: RunContext<P>): Promise<void>;
}

/** Steps every run ends with, whatever the scenario. */
export const CLOSING_STEPS = ["restore the stack", "post-flight check"] as const;

/** Seconds between two ISO/epoch instants, rounded to 0.1 s. */
export function secondsBetween(from: number, to: number): number {
  return Math.round((to - from) / 100) / 10;
}
