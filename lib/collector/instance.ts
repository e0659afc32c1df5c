import "server-only";
/** The process-wide collector. `globalThis` survives Next's separate module graphs (instrumentation vs routes). */
import path from "node:path";
import { startCompanions } from "../companions";
import { loadConfig } from "../config/load";
import { Collector } from "./collector";
import { TimelineStore } from "./timeline-store";

const KEY = Symbol.for("redis-resilience-console.collector");
type WithCollector = typeof globalThis & { [KEY]?: Collector };

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.CONSOLE_DATA_DIR ?? ".console-data");
}

/** The one collector of this server process, started on first use. */
export function getCollector(): Collector {
  const g = globalThis as WithCollector;
  if (!g[KEY]) {
    const collector = new Collector(loadConfig(), new TimelineStore(path.join(dataDir(), "timeline.jsonl")));
    g[KEY] = collector;
    collector.start();
    startCompanions(collector);
  }
  return g[KEY]!;
}
