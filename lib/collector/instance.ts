import "server-only";
/** The process-wide deployments and their collectors. `globalThis` survives Next's separate module graphs (instrumentation vs routes). */
import path from "node:path";
import { PHASE_PRODUCTION_BUILD } from "next/constants";
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
    // `next build` renders the static pages (not-found) through the console's layout, which names
    // the deployments: nothing is watched or recorded there (a build-time start left "Console
    // started" and a false incident from a sandbox not yet up in the data dir).
    if (process.env.NEXT_PHASE !== PHASE_PRODUCTION_BUILD) deployments.start();
  }
  return g[KEY]!;
}

/** The default deployment's collector (the only one in a single-deployment config). */
export function getCollector(): Collector {
  return getDeployments().default.collector;
}
