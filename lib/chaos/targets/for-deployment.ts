import "server-only";
/** An external deployment's chaos target options from its config: the chaos credential, the nodes' TLS, the sentinels' own credentials. */
import { resolveChaosAuth, resolveConnections } from "../../config/load";
import type { ConsoleConfig } from "../../config/schema";
import type { ExternalTargetOptions } from "./external";

export function externalOptions(config: ConsoleConfig): ExternalTargetOptions | null {
  const auth = resolveChaosAuth(config);
  if (!auth) return null;
  return {
    deployment: config.deployment,
    nodes: config.redis.nodes.map((n) => ({ host: n.host, port: n.port })),
    sentinels: config.redis.sentinels.map((s) => ({ host: s.host, port: s.port })),
    masterName: config.redis.masterName,
    auth,
    sentinelAuth: resolveConnections(config).sentinel,
    timeoutMs: Math.max(1000, config.timeouts.redisMs),
    proxy: config.chaos?.proxy?.listen,
    connectionHeadroom: config.chaos?.connectionHeadroom ?? 0,
  };
}
