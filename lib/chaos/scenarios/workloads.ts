import "server-only";
/**
 * The devstack's workloads as scenarios drive them: steady traffic against the layers, the
 * integrity writer, memory filler. Thin names over the contract's typed client, which parses
 * every answer, so a devstack that answers otherwise fails with a clear message.
 */
import type { FillResult } from "../../contract/control-answers";
import type { IntegrityReport as IntegrityAnswer, LayerTraffic, TrafficStats } from "../../contract/workload-answers";
import type { DriveTraffic } from "../capabilities";
import type { DevstackControl } from "../devstack-control";

export type { FillResult, LayerTraffic, TrafficStats };
/** What the scenarios read of the integrity writer's report (whether it still runs is theirs to know). */
export type IntegrityReport = Omit<IntegrityAnswer, "running">;

/** Steady round-robin traffic to the four layers (counts since start, percentiles over 60 s). */
export const traffic = {
  start: (control: DriveTraffic, rps: number): Promise<TrafficStats> => control.startTraffic(rps),
  read: (control: DriveTraffic): Promise<TrafficStats> => control.trafficStats(),
  /** Counts and percentiles start over, so the next read covers only what follows. */
  reset: (control: DriveTraffic): Promise<TrafficStats> => control.resetTrafficStats(),
  stop: (control: DriveTraffic): Promise<TrafficStats> => control.stopTraffic(),
};

/** Sequenced writes to the master (20 ms apart), read back to find acknowledged writes that were lost. */
export const integrityWriter = {
  start: (control: DevstackControl): Promise<string> => control.startIntegrity(),
  /** Counters and a read-back of every acknowledged write so far. */
  read: (control: DevstackControl): Promise<IntegrityReport> => control.integrityReport(),
  /** Stops writing, then reads every acknowledged write back from the current master. */
  stop: (control: DevstackControl): Promise<IntegrityReport> => control.stopIntegrity(),
};

/** 64 KB filler keys (each with the fault's TTL) written to the master until it reaches the target or evicts. */
export function fillMemory(control: DevstackControl, targetPercent: number, ttlSeconds: number): Promise<FillResult> {
  return control.fillMemory({ targetPercent, ttlSeconds });
}
