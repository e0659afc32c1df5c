import "server-only";
/** The process-wide deployments and their collectors. `globalThis` survives Next's separate module graphs (instrumentation vs routes). */
import path from "node:path";
import { loadDeployments } from "../config/load";
import { Deployments } from "../deployments/registry";
import { prometheusSource } from "../prometheus/source";
import type { Collector } from "./collector";

const KEY = Symbol.for("redis-resilience-console.deployments");
type WithDeployments = typeof globalThis & { [KEY]?: Deployments };

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.CONSOLE_DATA_DIR ?? ".console-data");
}

/** Every deployment of this server process, their collectors started on first use. */
export function getDeployments(): Deployments {
  const g = globalThis as WithDeployments;
  if (!g[KEY]) {
    // A malformed PROMETHEUS_URL stops the start like a bad config file, rather than failing on the first long chart.
    prometheusSource();
    const deployments = new Deployments(loadDeployments(), dataDir());
    g[KEY] = deployments;
    deployments.start();
  }
  return g[KEY]!;
}

/** The default deployment's collector (the only one in a single-deployment config). */
export function getCollector(): Collector {
  return getDeployments().default.collector;
}
