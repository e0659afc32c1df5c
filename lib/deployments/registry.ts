import "server-only";
/**
 * Every deployment the config names, watched side by side in one server process. Each has its
 * own collector (its own connections, ticking whatever the number of viewers), timeline file,
 * failover history and companions (keyspace sampler, config auditor). The first is the default:
 * a request without `?deployment=` gets it, so the single-deployment API is unchanged.
 */
import path from "node:path";
import { Collector } from "../collector/collector";
import { TimelineStore } from "../collector/timeline-store";
import { startCompanions } from "../companions";
import { deploymentSlug } from "../config/deployments";
import type { ConsoleConfig } from "../config/schema";
import type { DeploymentSummary } from "./types";

export interface Deployment {
  name: string;
  collector: Collector;
  isDefault: boolean;
  /** Chaos acts on this one: the devstack sandbox (at most one per config). */
  chaos: boolean;
  /** Where its timeline and failover history are kept. */
  dir: string;
}

export class Deployments {
  readonly all: readonly Deployment[];

  /** The default deployment keeps the data dir's own files, so adding a second one loses no history. */
  constructor(configs: ConsoleConfig[], dataDir: string) {
    const chaosName = configs.find((c) => c.source === "devstack")?.deployment ?? null;
    this.all = configs.map((config, i) => {
      const dir = i === 0 ? dataDir : path.join(dataDir, "deployments", deploymentSlug(config.deployment));
      const collector = new Collector(
        config,
        new TimelineStore(path.join(dir, "timeline.jsonl")),
        path.join(dir, "failovers.jsonl"),
        path.join(dir, "incidents.json"),
      );
      return { name: config.deployment, collector, isDefault: i === 0, chaos: config.deployment === chaosName, dir };
    });
  }

  /** Starts every collector and its companions. */
  start(): void {
    for (const d of this.all) {
      d.collector.start();
      startCompanions(d.collector);
    }
  }

  get default(): Deployment {
    return this.all[0];
  }

  /** The sandbox deployment chaos acts on, or the default when there is none (which then refuses chaos). */
  get chaos(): Deployment {
    return this.all.find((d) => d.chaos) ?? this.all[0];
  }

  find(name: string): Deployment | undefined {
    return this.all.find((d) => d.name === name);
  }

  names(): string[] {
    return this.all.map((d) => d.name);
  }

  summaries(): DeploymentSummary[] {
    return this.all.map((d) => {
      const { source } = d.collector.settings;
      return { name: d.name, source, readOnly: source !== "devstack", default: d.isDefault };
    });
  }
}
