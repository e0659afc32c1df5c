import "server-only";
/** Every scenario the Sentinel sandbox runs, by id, and the capabilities it offers (every one, through its control API). */
import type { ScenarioId } from "../../contract/scenarios";
import { offeredBy, type CapabilitiesOf } from "../capabilities";
import type { AnyScenario } from "../scenario";
import type { DevstackControl } from "../devstack-control";
import { connectionExhaustion } from "./connection-exhaustion";
import { dataIntegrity } from "./data-integrity";
import { failover } from "./failover";
import { latency } from "./latency";
import { memoryPressure } from "./memory-pressure";
import { outage } from "./outage";
import { restartUnderLoad } from "./restart-under-load";

/** The sandbox's typed control client offers each capability itself: its routes carry the TTLs and /reset undoes them all. */
export const SENTINEL_CAPABILITIES = {
  "exhaust-connections": (control: DevstackControl) => control,
  "add-latency": (control: DevstackControl) => control,
  "drive-traffic": (control: DevstackControl) => control,
  "restart-master": (control: DevstackControl) => control,
  "set-addressing": (control: DevstackControl) => control,
} satisfies CapabilitiesOf<DevstackControl>;

export const SCENARIOS: Record<ScenarioId, AnyScenario<DevstackControl>> = {
  outage,
  latency: offeredBy(latency, SENTINEL_CAPABILITIES),
  "memory-pressure": memoryPressure,
  "restart-under-load": offeredBy(restartUnderLoad, SENTINEL_CAPABILITIES),
  "data-integrity": dataIntegrity,
  failover,
  "connection-exhaustion": offeredBy(connectionExhaustion, SENTINEL_CAPABILITIES),
};
