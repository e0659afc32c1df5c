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

/** PostgreSQL for the store (several replicas share it), or null: PGlite in the data dir. */
export function databaseUrl(): string | null {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) return null;
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new Error("DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/db), or unset for the embedded store");
  return url;
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
