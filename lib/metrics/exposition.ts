import "server-only";
/**
 * /api/metrics: the console's judgements and the sampled Redis metrics in Prometheus text
 * format, for every deployment (label `deployment`). Redis metrics use redis_exporter's names
 * (so existing Grafana dashboards and alert rules work on them), labelled by node and addr.
 * Values are read from the current snapshots at scrape time: a scrape never causes a Redis call.
 */
import { Counter, Gauge, Registry, type LabelValues } from "prom-client";
import { scorecard } from "../chaos/scorecard";
import type { ChaosRun, ClaimId } from "../chaos/types";
import { agedScorecard, deploymentScore, type ClaimsPolicy } from "../verification/claims-standing";
import { tally } from "../chaos/verdict";
import { LAYER_STATUSES } from "../contract/failure-contract";
import type { NodeInfo } from "../redis/info";
import type { Snapshot } from "../snapshot/types";
import { registerClusterMetrics } from "./cluster-metrics";

/** One deployment as the exposition reads it. */
export type MetricsSource = {
  snapshot: () => Snapshot;
  runs: () => ChaosRun[];
  tickErrors: () => number;
  deployment: string;
  nodeInfo?: (id: string) => NodeInfo | null;
  /** Schedule name -> its last started slot (ISO); the same for every deployment, so read from the first source. */
  scheduleLastRuns?: () => ReadonlyMap<string, string>;
  /** Guardrail name -> runs it stopped since start. */
  guardrailAborts?: () => ReadonlyMap<string, number>;
  /** The claims its target speaks of and their policy (expiry, weights); absent where chaos never acts. */
  claims?: () => { claims: readonly ClaimId[]; policy: ClaimsPolicy } | null;
};

type Labels = LabelValues<string>;
/** A gauge seen from one deployment: every value it sets carries that deployment's label (last, as default labels were). */
type Sink = { set(labels: Labels, value: number): void; set(value: number): void };

const bool = (b: boolean | null | undefined) => (b ? 1 : 0);

function sink(g: Gauge, deployment: string): Sink {
  return { set: (a: Labels | number, b?: number) => (typeof a === "number" ? g.set({ deployment }, a) : g.set({ ...a, deployment }, b ?? 0)) } as Sink;
}

/** Builds a registry whose metrics read every source (deployment) on every scrape. */
export function metricsRegistry(sources: () => MetricsSource[]): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Sink, s: Snapshot, source: MetricsSource) => void) =>
    new Gauge({
      name,
      help,
      labelNames: [...labelNames, "deployment"],
      registers: [registry],
      collect() {
        this.reset();
        for (const source of sources()) fill(sink(this, source.deployment), source.snapshot(), source);
      },
    });

  // The console's own judgements.
  gauge("rrc_layer_status", "Layer status as judged from real requests (1 for the current status).", ["layer", "status"], (g, s) => {
    for (const l of s.layers) for (const st of LAYER_STATUSES) g.set({ layer: l.id, status: st }, bool(l.status === st));
  });
  gauge("rrc_layer_contract_agrees", "1 when the layer does what the failure contract expects for Redis's state.", ["layer"], (g, s) =>
    s.layers.forEach((l) => g.set({ layer: l.id }, bool(l.agrees))),
  );
  gauge("rrc_layer_contract_violation", "1 when a disagreement with the contract outlasted the grace period.", ["layer"], (g, s) =>
    s.layers.forEach((l) => g.set({ layer: l.id }, bool(l.violation))),
  );
  gauge("rrc_layer_probe_duration_seconds", "Duration of the layer's probe requests.", ["layer"], (g, s) =>
    s.layers.forEach((l) => l.observed.latencyMs !== null && g.set({ layer: l.id }, l.observed.latencyMs / 1000)),
  );
  gauge("rrc_redis_available_for_layers", "1 when Redis answers through the layers' own address.", [], (g, s) => g.set(bool(s.redis.available)));
  gauge(
    "rrc_redis_layer_address_writable",
    "1 when ROLE through the layers' Redis address answers master; 0 for a replica (writes fail with READONLY) or no answer.",
    [],
    (g, s) => s.redis.layerAddress && g.set(bool(s.redis.layerAddress.state === "master")),
  );
  gauge("rrc_alert_firing", "1 while the alert rule fires.", ["rule", "severity"], (g, s) =>
    s.alerts.forEach((a) => g.set({ rule: a.rule, severity: a.severity }, bool(a.firing))),
  );
  gauge("rrc_sentinel_reachable", "Sentinels answering.", [], (g, s) => g.set(s.sentinel.reachable));
  gauge("rrc_sentinel_quorum", "Configured Sentinel quorum.", [], (g, s) => s.sentinel.quorum !== null && g.set(s.sentinel.quorum));
  gauge("rrc_sentinel_failover_in_progress", "1 while a failover is in progress.", [], (g, s) => g.set(bool(s.sentinel.failoverInProgress)));
  gauge("rrc_failovers_recorded", "Failovers in the console's recent failover history.", [], (g, s) => g.set(s.sentinel.history?.length ?? 0));
  gauge("rrc_failover_last_duration_seconds", "Duration of the most recent failover, first milestone to +switch-master.", [], (g, s) => {
    const last = s.sentinel.history?.[0];
    if (last) g.set(last.durationMs / 1000);
  });
  gauge("rrc_collector_tick_duration_seconds", "How long the last collector tick took.", [], (g, s) => g.set(s.tick.durationMs / 1000));
  gauge("rrc_collector_event_loop_lag_seconds", "p99 event-loop delay of the console over the last tick.", [], (g, s) =>
    g.set((s.tick.eventLoopLagMs ?? 0) / 1000),
  );
  gauge("rrc_collector_tick_errors", "Collector ticks that failed since the console started.", [], (g, _s, source) => g.set(source.tickErrors()));
  // Chaos verdicts of the latest finished run per scenario. A check that was not exercised is its own state, never counted as held.
  const latestRuns = (source: MetricsSource) => {
    const seen = new Set<string>();
    return source.runs().filter((r) => r.endedAt && !seen.has(r.scenario) && seen.add(r.scenario));
  };
  gauge("rrc_chaos_run_passed", "Latest run per scenario: 1 passed (every check held), 0 failed or aborted.", ["scenario"], (g, _s, source) => {
    for (const r of latestRuns(source)) g.set({ scenario: r.scenario }, bool(r.state === "passed"));
  });
  gauge("rrc_chaos_run_state", "Latest run per scenario: 1 for its state (passed, failed, aborted).", ["scenario", "state"], (g, _s, source) => {
    for (const r of latestRuns(source))
      for (const st of ["passed", "failed", "aborted"] as const) g.set({ scenario: r.scenario, state: st }, bool(r.state === st));
  });
  gauge("rrc_chaos_run_duration_seconds", "Duration of the latest run per scenario.", ["scenario"], (g, _s, source) => {
    for (const r of latestRuns(source)) g.set({ scenario: r.scenario }, (Date.parse(r.endedAt!) - Date.parse(r.startedAt)) / 1000);
  });
  gauge("rrc_chaos_checks", "Checks of the latest run per scenario, by verdict (held, refuted, not-exercised).", ["scenario", "verdict"], (g, _s, source) => {
    for (const r of latestRuns(source)) {
      const t = tally(r.checks);
      g.set({ scenario: r.scenario, verdict: "held" }, t.held);
      g.set({ scenario: r.scenario, verdict: "refuted" }, t.refuted);
      g.set({ scenario: r.scenario, verdict: "not-exercised" }, t.notExercised);
    }
  });
  gauge(
    "rrc_chaos_checks_held_ratio",
    "Share of the latest run's checks that held, per scenario (not-exercised checks count against it).",
    ["scenario"],
    (g, _s, source) => {
      for (const r of latestRuns(source)) if (r.checks.length) g.set({ scenario: r.scenario }, tally(r.checks).held / r.checks.length);
    },
  );
  gauge(
    "rrc_chaos_claim_verdict",
    "Each guide claim's scorecard verdict: 1 for its verdict (held, refuted, not-exercised, untested).",
    ["claim", "verdict"],
    (g, _s, source) => {
      const runs = source.runs();
      if (runs.length)
        for (const e of scorecard(runs))
          for (const v of ["held", "refuted", "not-exercised", "untested"] as const) g.set({ claim: e.claim, verdict: v }, bool(e.verdict === v));
    },
  );

  gauge(
    "rrc_claim_verdict_age_seconds",
    "Age of each guide claim's latest verdict (absent: never measured); compare with claims.expireAfterDays.",
    ["claim"],
    (g, _s, source) => {
      const ctx = source.claims?.();
      if (!ctx) return;
      for (const e of agedScorecard(source.runs(), ctx.claims, new Date(), ctx.policy))
        if (e.age.ageSeconds !== null) g.set({ claim: e.claim }, e.age.ageSeconds);
    },
  );
  gauge(
    "rrc_resilience_score",
    'Resilience score, 0-100: sum(weight x held and fresh) / sum(weight); layer="all" for the deployment.',
    ["layer"],
    (g, _s, source) => {
      const ctx = source.claims?.();
      if (!ctx) return;
      const score = deploymentScore(source.runs(), ctx.claims, new Date(), ctx.policy);
      if (score.overall.score !== null) g.set({ layer: "all" }, score.overall.score);
      for (const [layer, s] of Object.entries(score.layers)) if (s.score !== null) g.set({ layer }, s.score);
    },
  );

  new Gauge({
    name: "rrc_schedule_last_run_timestamp_seconds",
    help: "When each schedule last started a run (its slot), unix seconds.",
    labelNames: ["schedule"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [schedule, slot] of sources()[0]?.scheduleLastRuns?.() ?? []) this.set({ schedule }, Date.parse(slot) / 1000);
    },
  });
  new Counter({
    name: "rrc_guardrail_aborts_total",
    help: "Runs a guardrail stopped (and restored) since the console started, by guardrail.",
    labelNames: ["guardrail", "deployment"],
    registers: [registry],
    collect() {
      this.reset();
      for (const source of sources()) for (const [guardrail, n] of source.guardrailAborts?.() ?? []) this.inc({ guardrail, deployment: source.deployment }, n);
    },
  });

  // Redis, under redis_exporter's names. Redis's own counters are exposed as counters (reset + inc
  // to the value Redis reports), so rate() works and promtool's naming lint holds.
  type NodeSnap = Snapshot["redis"]["nodes"][number];
  const each = (s: Snapshot, whenDown: boolean, value: (n: NodeSnap) => number | null, set: (labels: Labels, v: number) => void) => {
    for (const n of s.redis.nodes) {
      if (!n.up && !whenDown) continue;
      const v = value(n);
      if (v !== null) set({ node: n.id, addr: n.addr }, v);
    }
  };
  const node = (name: string, help: string, value: (n: NodeSnap) => number | null, whenDown = false) =>
    gauge(name, help, ["node", "addr"], (g, s) => each(s, whenDown, value, (l, v) => g.set(l, v)));
  const counter = (name: string, help: string, value: (n: NodeSnap) => number) =>
    new Counter({
      name,
      help,
      labelNames: ["node", "addr", "deployment"],
      registers: [registry],
      collect() {
        this.reset();
        for (const source of sources()) each(source.snapshot(), false, value, (l, v) => this.inc({ ...l, deployment: source.deployment }, v));
      },
    });
  node("redis_up", "1 when the node answered INFO this tick.", (n) => bool(n.up), true);
  registerClusterMetrics((name, help, labelNames, fill) => gauge(name, help, labelNames, (g, s) => fill(g, s)));
  node("redis_memory_used_bytes", "used_memory", (n) => n.usedMemory);
  node("redis_memory_max_bytes", "maxmemory", (n) => n.maxmemory);
  counter("redis_evicted_keys_total", "evicted_keys (counter as reported by Redis)", (n) => n.evictedKeys);
  counter("redis_expired_keys_total", "expired_keys (counter as reported by Redis)", (n) => n.expiredKeys);
  counter("redis_keyspace_hits_total", "keyspace_hits (counter as reported by Redis)", (n) => n.keyspaceHits);
  counter("redis_keyspace_misses_total", "keyspace_misses (counter as reported by Redis)", (n) => n.keyspaceMisses);
  node("redis_connected_clients", "connected_clients", (n) => n.connectedClients);
  // redis_exporter calls this redis_instantaneous_ops_per_sec, which promtool rejects ("sec"); rate(redis_commands_processed_total) is the exporter-side equivalent.
  node("rrc_redis_instantaneous_ops_per_second", "instantaneous_ops_per_sec as Redis reports it", (n) => n.opsPerSec);
  node("redis_latest_fork_seconds", "latest_fork_usec in seconds", (n) => n.latestForkUsec / 1e6);
  node("redis_mem_fragmentation_ratio", "mem_fragmentation_ratio", (n) => n.fragmentationRatio);
  counter("redis_commands_processed_total", "total_commands_processed (counter as reported by Redis)", (n) => n.totalCommands);
  node("redis_master_link_up", "1 when a replica's link to its master is up", (n) => (n.role === "replica" ? bool(n.masterLinkUp) : null));
  node("redis_aof_last_write_status", "1 when the last AOF write succeeded", (n) => bool(n.aofLastWriteStatus === "ok"));
  node("redis_rdb_last_bgsave_status", "1 when the last RDB save succeeded", (n) => bool(n.rdbLastBgsaveStatus === "ok"));
  node("redis_aof_delayed_fsync", "aof_delayed_fsync", (n) => n.aofDelayedFsync);
  node("redis_uptime_in_seconds", "uptime_in_seconds", (n) => n.uptimeSeconds);
  // The rest of redis_exporter's dashboard (gnetId 763): read from the node's last INFO (the same
  // one call per tick, `INFO all`), kept beside the snapshot rather than pushed to every viewer.
  const fromInfo = (kind: "gauge" | "counter", name: string, help: string, label: string | null, rows: (i: NodeInfo) => [string, number][]) => {
    const labelNames = ["node", "addr", ...(label ? [label] : []), "deployment"];
    const fill = (set: (l: Labels, v: number) => void) => {
      for (const source of sources()) {
        for (const n of source.snapshot().redis.nodes) {
          const info = n.up ? source.nodeInfo?.(n.id) : null;
          if (!info) continue;
          for (const [value, v] of rows(info))
            if (Number.isFinite(v) && v >= 0) set({ node: n.id, addr: n.addr, ...(label ? { [label]: value } : {}), deployment: source.deployment }, v);
        }
      }
    };
    if (kind === "gauge")
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          fill((l, v) => this.set(l, v));
        },
      });
    else
      new Counter({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          fill((l, v) => this.inc(l, v));
        },
      });
  };
  const one = (v: number): [string, number][] => [["", v]];
  fromInfo("gauge", "redis_blocked_clients", "blocked_clients", null, (i) => one(i.blockedClients));
  fromInfo("gauge", "redis_config_maxmemory", "maxmemory (as CONFIG reports it)", null, (i) => one(i.maxmemory));
  fromInfo("counter", "redis_net_input_bytes_total", "total_net_input_bytes (counter as reported by Redis)", null, (i) => one(i.netInputBytes));
  fromInfo("counter", "redis_net_output_bytes_total", "total_net_output_bytes (counter as reported by Redis)", null, (i) => one(i.netOutputBytes));
  fromInfo("counter", "redis_connections_received_total", "total_connections_received (counter as reported by Redis)", null, (i) => one(i.connectionsReceived));
  fromInfo("counter", "redis_rejected_connections_total", "rejected_connections (counter as reported by Redis)", null, (i) => one(i.rejectedConnections));
  fromInfo("gauge", "redis_db_keys", "keys per database", "db", (i) => Object.entries(i.dbs).map(([db, d]) => [db, d.keys]));
  fromInfo("gauge", "redis_db_keys_expiring", "keys with an expiry per database", "db", (i) => Object.entries(i.dbs).map(([db, d]) => [db, d.expires]));
  fromInfo("gauge", "redis_db_avg_ttl_seconds", "avg_ttl per database, in seconds", "db", (i) =>
    Object.entries(i.dbs).map(([db, d]) => [db, d.avgTtlMs / 1000]),
  );
  fromInfo("counter", "redis_commands_total", "calls per command (INFO commandstats)", "cmd", (i) => Object.entries(i.commands).map(([c, x]) => [c, x.calls]));
  fromInfo("counter", "redis_commands_duration_seconds_total", "usec per command (INFO commandstats), in seconds", "cmd", (i) =>
    Object.entries(i.commands).map(([c, x]) => [c, x.usec / 1e6]),
  );
  fromInfo("counter", "redis_commands_rejected_calls_total", "rejected_calls per command (INFO commandstats)", "cmd", (i) =>
    Object.entries(i.commands).map(([c, x]) => [c, x.rejectedCalls]),
  );
  fromInfo("counter", "redis_commands_failed_calls_total", "failed_calls per command (INFO commandstats)", "cmd", (i) =>
    Object.entries(i.commands).map(([c, x]) => [c, x.failedCalls]),
  );
  gauge("redis_instance_info", "Node role (1 per node, role as a label).", ["node", "addr", "role"], (g, s) =>
    s.redis.nodes.forEach((n) => g.set({ node: n.id, addr: n.addr, role: n.up ? n.role : "down" }, 1)),
  );
  return registry;
}
