import "server-only";
/** The process-wide chaos runner, beside the collector. */
import path from "node:path";
import { dataDir, getCollector } from "../collector/instance";
import { ChaosRunner } from "./runner";
import { RunStore } from "./run-store";

const KEY = Symbol.for("redis-resilience-console.chaos");
type WithRunner = typeof globalThis & { [KEY]?: ChaosRunner };

export function getChaosRunner(): ChaosRunner {
  const g = globalThis as WithRunner;
  g[KEY] ??= new ChaosRunner(getCollector(), new RunStore(path.join(dataDir(), "chaos-runs")));
  return g[KEY]!;
}
