import "server-only";
/**
 * Every deployment the config names, watched side by side in one server process. Each has its
 * own collector (its own connections, ticking whatever the number of viewers), timeline,
 * failover history and incidents in the store, and companions (keyspace sampler, config auditor). The first is the default:
 * a request without `?deployment=` gets it, so the single-deployment API is unchanged.
 */
import path from "node:path";
import { Collector } from "../collector/collector";
import { TimelineStore } from "../collector/timeline-store";
import { startCompanions } from "../companions";
import { deploymentSlug } from "../config/deployments";
import type { ConsoleConfig } from "../config/schema";
import type { DeploymentDir } from "../store/import-files";
import { recordsFor } from "../store/instance";
import { startTimelineFollow } from "../store/timeline-follow";
import type { DeploymentSummary } from "./types";

export interface Deployment {
  name: string;
  collector: Collector;
  isDefault: boolean;
  /** Chaos acts on this one: the devstack sandbox (at most one per config). */
  chaos: boolean;
  /** Its own dir in the data dir (where its files were kept before the store; the external chaos target's journal). */
  dir: string;
}

/** Each deployment's dir: the default keeps the data dir's own, so adding a second one moved no history. */
export function deploymentDirs(configs: ConsoleConfig[], dataDir: string): DeploymentDir[] {
  const chaosName = configs.find((c) => c.source === "devstack")?.deployment ?? null;
  return configs.map((config, i) => ({
    name: config.deployment,
    dir: i === 0 ? dataDir : path.join(dataDir, "deployments", deploymentSlug(config.deployment)),
    chaos: config.deployment === chaosName,
  }));
}

export class Deployments {
  readonly all: readonly Deployment[];

  constructor(configs: ConsoleConfig[], dataDir: string) {
    this.all = deploymentDirs(configs, dataDir).map(({ name, dir, chaos }, i) => {
      const config = configs[i];
      const records = recordsFor(name);
      const timeline = new TimelineStore(records.timeline);
      const collector = new Collector(config, timeline, records.failovers, records.incidents);
      // What a new lease holder compares with the store: this replica's own sightings.
      records.observed.attach({
        ownEvents: () => timeline.own(),
        incidents: () => collector.incidents.folded(),
        failovers: () => collector.failoverRecords(),
        ingest: (e) => timeline.ingest(e),
      });
      return { name, collector, isDefault: i === 0, chaos, dir };
    });
  }

  /** Starts every collector and its companions, and their streams' follow of the store (several replicas). */
  start(): void {
    for (const d of this.all) {
      d.collector.start();
      startCompanions(d.collector);
    }
    startTimelineFollow(new Map(this.all.map((d) => [d.name, d.collector])));
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
