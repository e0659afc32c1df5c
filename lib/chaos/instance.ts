import "server-only";
/** The process-wide chaos runner, bound to the sandbox deployment: chaos never acts on any other. */
import { getDeployments } from "../collector/instance";
import { recordsFor } from "../store/instance";
import { ChaosRunner } from "./runner";
import { RunStore } from "./run-store";

const KEY = Symbol.for("redis-resilience-console.chaos");
type WithRunner = typeof globalThis & { [KEY]?: ChaosRunner };

/** The one chaos runner, on the devstack deployment's collector (the default's when none is the sandbox: it then refuses). */
export function getChaosRunner(): ChaosRunner {
  const g = globalThis as WithRunner;
  const chaos = getDeployments().chaos;
  g[KEY] ??= new ChaosRunner(chaos.collector, new RunStore(recordsFor(chaos.name).runs));
  return g[KEY]!;
}
