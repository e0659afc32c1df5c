import "server-only";
/**
 * Reads every node's settings (CONFIG GET) and every sentinel's (SENTINEL MASTER) on a slow
 * cadence, on the collector's own connections, and keeps the judged result. One read per
 * REFRESH_SECONDS per process: viewers only ever get the cached report.
 */
import type Redis from "ioredis";
import type { Collector } from "../collector/collector";
import { companionOf } from "../collector/companions";
import { describeRedisError } from "../redis/client";
import { deniedCommand, noPermissionSentence } from "../redis/connection-error";
import { infoFields, pairsToRecord } from "../redis/info";
import type { ConfigAuditReport, NodeAudit, SentinelAudit } from "./audit-types";
import { auditSettings, BASELINE, CLUSTER_SETTINGS, NODE_SETTINGS } from "./baseline";
import { settingsFromInfo } from "./settings-from-info";

const REFRESH_SECONDS = 30;
const RETRY_SECONDS = 5;

/** Says why CONFIG GET failed in words that tell the SRE whether it is a policy or an outage. */
export function describeConfigError(err: unknown, timeoutMs: number, user?: string, redis?: Redis): { state: NodeAudit["state"]; error: string } {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unknown command|ERR unknown subcommand/i.test(msg))
    return {
      state: "config-unavailable",
      error:
        "CONFIG is disabled or renamed on this node (hosted Redis, rename-command): the settings INFO states are shown, marked from INFO; the others stay unknown",
    };
  if (/NOPERM/i.test(msg))
    return { state: "config-unavailable", error: noPermissionSentence(user, deniedCommand(msg) ?? "CONFIG GET", "the config audit is off") };
  return { state: "unreachable", error: describeRedisError(err, timeoutMs, redis) };
}

async function readNode(
  redis: Redis,
  timeoutMs: number,
  user: string | undefined,
  names: string[],
): Promise<{ values: Record<string, string> } | { state: NodeAudit["state"]; error: string }> {
  const pipeline = redis.pipeline();
  // One CONFIG GET per parameter: Redis before 7 takes a single pattern per call.
  for (const name of names) pipeline.config("GET", name);
  let replies: [Error | null, unknown][] | null;
  try {
    replies = await pipeline.exec();
  } catch (err) {
    return describeConfigError(err, timeoutMs, user, redis);
  }
  const values: Record<string, string> = {};
  for (const [err, reply] of replies ?? []) {
    if (err) return describeConfigError(err, timeoutMs, user, redis);
    Object.assign(values, pairsToRecord(reply));
  }
  return { values };
}

/** Every INFO field, or null when INFO is refused too (the settings then stay unknown). */
async function readInfo(redis: Redis): Promise<Record<string, string> | null> {
  try {
    return infoFields(await redis.info("everything"));
  } catch {
    return null;
  }
}

export class ConfigAuditor {
  private report: ConfigAuditReport;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;

  constructor(private readonly collector: Collector) {
    this.report = this.pending();
  }

  start(): void {
    if (this.timer) return;
    const loop = async () => {
      await this.refresh();
      // Right after start the connections may not be up yet: look again soon rather than show "unreachable" for 30 s.
      const incomplete = [...this.report.nodes, ...this.report.sentinels].some((x) => x.state !== "read" && x.state !== "config-unavailable");
      this.timer = setTimeout(() => void loop(), (incomplete ? RETRY_SECONDS : REFRESH_SECONDS) * 1000);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void loop(), 0);
  }

  /** The last judged report; never triggers a Redis call. */
  current(): ConfigAuditReport {
    return this.report;
  }

  /** Reads and judges everything once; a read still running is never doubled. */
  async refresh(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const { redisMs } = this.collector.settings.timeouts;
      const roles = new Map(this.collector.snapshot().redis.nodes.map((n) => [n.id, n.role]));
      const cluster = !!this.collector.settings.redis.cluster;
      const names = cluster ? [...NODE_SETTINGS, ...CLUSTER_SETTINGS] : NODE_SETTINGS;
      const judge = (values: Record<string, string>) => [...auditSettings("node", values), ...(cluster ? auditSettings("cluster", values) : [])];
      const nodes = await Promise.all(
        this.collector.nodeClients().map(async ({ id, redis }): Promise<NodeAudit> => {
          const r = await readNode(redis, redisMs, this.collector.settings.redis.username, names);
          const role = roles.get(id) ?? "unknown";
          if ("values" in r) return { id, role, state: "read", settings: judge(r.values) };
          // Without CONFIG, INFO still states some settings (maxmemory, its policy, AOF …): one INFO per refresh.
          const fromInfo = r.state === "config-unavailable" ? await readInfo(redis) : null;
          return { id, role, state: r.state, error: r.error, settings: fromInfo ? settingsFromInfo(fromInfo) : judge({}) };
        }),
      );
      const masterName = this.collector.settings.redis.masterName;
      const sentinels = await Promise.all(
        this.collector.sentinelClients().map(async ({ id, redis }): Promise<SentinelAudit> => {
          try {
            return { id, state: "read", settings: auditSettings("sentinel", pairsToRecord(await redis.call("SENTINEL", "MASTER", masterName))) };
          } catch (err) {
            return { id, state: "unreachable", error: describeRedisError(err, redisMs, redis), settings: auditSettings("sentinel", {}) };
          }
        }),
      );
      this.report = { ...this.pending(), at: new Date().toISOString(), nodes, sentinels };
    } finally {
      this.reading = false;
    }
  }

  private pending(): ConfigAuditReport {
    const { redis } = this.collector.settings;
    return {
      at: null,
      refreshSeconds: REFRESH_SECONDS,
      masterName: redis.masterName,
      // A cluster's rows only on a cluster; a cluster has no Sentinel rows.
      baseline: BASELINE.filter((b) => (redis.cluster ? b.scope !== "sentinel" : b.scope !== "cluster")).map(
        ({ judge: _judge, secret: _secret, ...row }) => row,
      ),
      nodes: redis.nodes.map((n) => ({ id: n.id, role: "unknown", state: "pending", settings: auditSettings("node", {}) })),
      sentinels: redis.sentinels.map((s) => ({ id: s.id, state: "pending", settings: auditSettings("sentinel", {}) })),
    };
  }
}

/** The one auditor per collector (per deployment) of this process, started on first use. */
export function getConfigAuditor(collector: Collector): ConfigAuditor {
  return companionOf("config-auditors", collector, (c) => new ConfigAuditor(c));
}
