import "server-only";
/** Every scenario the console can run, by id. */
import type { ScenarioId } from "../../contract/scenarios";
import type { AnyScenario } from "../scenario";
import type { DevstackControl } from "../devstack-control";
import { connectionExhaustion } from "./connection-exhaustion";
import { dataIntegrity } from "./data-integrity";
import { failover } from "./failover";
import { latency } from "./latency";
import { memoryPressure } from "./memory-pressure";
import { outage } from "./outage";
import { restartUnderLoad } from "./restart-under-load";

export const SCENARIOS: Record<ScenarioId, AnyScenario<DevstackControl>> = {
  outage,
  latency,
  "memory-pressure": memoryPressure,
  "restart-under-load": restartUnderLoad,
  "data-integrity": dataIntegrity,
  failover,
  "connection-exhaustion": connectionExhaustion,
};
