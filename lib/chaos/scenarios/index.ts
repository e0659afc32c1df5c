import "server-only";
/** Every scenario the console can run, by id. */
import type { ScenarioId } from "../../contract/scenarios";
import type { Scenario } from "../scenario";
import { outage } from "./outage";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SCENARIOS: Partial<Record<ScenarioId, Scenario<any>>> = {
  outage,
};
