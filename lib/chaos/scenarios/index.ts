import "server-only";
/** Every scenario the console can run, by id. */
import type { ScenarioId } from "../../contract/scenarios";
import type { Scenario } from "../scenario";
import { dataIntegrity } from "./data-integrity";
import { failover } from "./failover";
import { latency } from "./latency";
import { memoryPressure } from "./memory-pressure";
import { outage } from "./outage";
import { restartUnderLoad } from "./restart-under-load";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SCENARIOS: Record<ScenarioId, Scenario<any>> = {
  outage,
  latency,
  "memory-pressure": memoryPressure,
  "restart-under-load": restartUnderLoad,
  "data-integrity": dataIntegrity,
  failover,
};
