/** The sandbox Redis Sentinel topology: redis-a (first master), redis-b (replica), three sentinels. */
import fs from "node:fs";
import path from "node:path";
import { NODE_NAMES, SENTINEL_NAMES } from "../../lib/contract/ports";
import { portOf, type StackSettings } from "../settings";
import { ManagedProcess } from "./managed-process";
import { buildPowerLossShim } from "./power-loss-shim";
import { renderRedisConf, renderSentinelConf } from "./redis-conf";
import type { SandboxSecurity } from "./sandbox-security";

export interface Topology {
  nodes: ManagedProcess[];
  sentinels: ManagedProcess[];
  all: ManagedProcess[];
}

/** Writes fresh config files and returns the (not yet started) processes. */
export function prepareTopology(settings: StackSettings, password: string, security?: SandboxSecurity): Topology {
  const masterPort = portOf(settings, "redis-a");
  const nodeEnv: Record<string, string> = settings.powerLossAof ? { LD_PRELOAD: buildPowerLossShim(settings.dir) } : {};
  const nodes = NODE_NAMES.map((name, i) => {
    const port = portOf(settings, name);
    const dataDir = path.join(settings.dir, name);
    // A new sandbox starts empty: replaying an old run's AOF would carry its filler and keys over.
    // (Restarts within a run keep the dir, so the AOF is replayed there.)
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const confPath = path.join(dataDir, "redis.conf");
    const conf = renderRedisConf(settings, { port, dataDir, password, security, replicaOfPort: i === 0 ? undefined : masterPort });
    fs.writeFileSync(confPath, conf, { mode: 0o600 });
    return new ManagedProcess(name, "redis", port, dataDir, "redis-server", confPath, nodeEnv);
  });
  const sentinels = SENTINEL_NAMES.map((name) => {
    const port = portOf(settings, name);
    const dataDir = path.join(settings.dir, name);
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const confPath = path.join(dataDir, "sentinel.conf");
    fs.writeFileSync(confPath, renderSentinelConf(settings, { port, dataDir, masterPort, password, security }), { mode: 0o600 });
    return new ManagedProcess(name, "sentinel", port, dataDir, "redis-sentinel", confPath);
  });
  return { nodes, sentinels, all: [...nodes, ...sentinels] };
}
