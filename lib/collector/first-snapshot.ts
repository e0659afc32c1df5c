/**
 * What a console says before its first look, and what it says of the deployment it watches
 * (read-only, or the sandbox and why chaos is refused right now). Pure: from the config.
 */
import type { ConsoleConfig } from "../config/schema";
import { summarizeSentinels } from "./sentinel-summary";
import type { Snapshot } from "../snapshot/types";

/** `sandboxReady`: the sandbox the console watches (Sentinel or Cluster) is up; ignored for anything else. */
export function deploymentState(config: ConsoleConfig, sandboxReady: boolean): Snapshot["deployment"] {
  const onDevstack = config.source === "devstack";
  const chaosRefusal = !onDevstack
    ? `The console watches "${config.deployment}", which is not the sandbox: it is read-only and chaos is refused.`
    : sandboxReady
      ? null
      : config.devstack?.kind === "cluster"
        ? "The cluster sandbox is not running: start it with `npm run stack -- up --cluster` (or `npm run demo -- --cluster`)."
        : "The sandbox is not running: start it with `npm run stack -- up` (or `npm run demo`).";
  return { name: config.deployment, source: config.source, readOnly: !onDevstack, chaosRefusal };
}

/** Before the first look: nothing known, every layer not probed yet. */
export function emptySnapshot(config: ConsoleConfig, deployment: Snapshot["deployment"]): Snapshot {
  const nowIso = new Date().toISOString();
  return {
    at: nowIso,
    seq: 0,
    deployment,
    tick: { ms: config.tickMs, durationMs: 0, cause: "schedule", lookStartedAt: null },
    thresholds: { memoryUsedRatio: config.thresholds.memoryUsedRatio },
    redis: { available: null, availabilityDetail: "not looked yet", nodes: [] },
    layers: config.layers.map((l) => ({
      id: l.id,
      status: "unknown",
      expected: "unknown",
      agrees: true,
      violation: false,
      since: nowIso,
      summary: "not probed yet",
      observed: {
        reachable: false,
        latencyMs: null,
        requests: [],
        state: "unknown",
        rules: {},
        summary: "not probed yet",
        at: null,
        everyMs: l.probe.everyMs ?? null,
      },
      checks: [],
    })),
    sentinel: summarizeSentinels(config.redis.masterName, [], [], config.redis.sentinels.length),
    alerts: [],
  };
}
