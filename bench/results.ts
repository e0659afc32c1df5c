/** Folds the sections' measurements into bench/results.json's flat keys and the goal table. */
import type { BrowserResult } from "./browser";
import type { DetectionRun } from "./detection";
import type { ExporterResult } from "./exporter";
import type { PageJs } from "./first-load";
import type { Goal } from "./report";
import type { LatencyResult } from "./snapshot-latency";
import { median, percentile, round } from "./stats";
import type { SwitchRun } from "./switch-master";
import type { ConsoleWindow, LoadWindow } from "./viewer-load";

export interface Measured {
  detection: DetectionRun[];
  switches: SwitchRun[];
  consoleWindows: ConsoleWindow[];
  naiveWindows: LoadWindow[];
  exporter: ExporterResult | null;
  latency: LatencyResult[];
  pages: PageJs[];
  browser: BrowserResult | null;
}

const secs = (runs: { seconds: number | null }[]) => runs.map((r) => r.seconds).filter((s): s is number => s !== null);

export function headline(m: Measured): Record<string, number | null> {
  const det = secs(m.detection);
  const byFault = (f: string) => secs(m.detection.filter((r) => r.fault === f));
  const layerSecs = (f: string) =>
    m.detection
      .filter((r) => r.fault === f)
      .map((r) => r.layerSeconds)
      .filter((s): s is number => s !== null);
  const sw = secs(m.switches);
  const win = (n: number) => m.consoleWindows.find((w) => w.viewers === n) ?? null;
  const naive = (n: number) => m.naiveWindows.find((w) => w.viewers === n) ?? null;
  const closed = m.latency.find((l) => l.mode === "back-to-back");
  const paced = m.latency.find((l) => l.mode === "paced");
  const bare = m.latency.find((l) => l.mode === "bare-back-to-back");
  const pingsPerNode = (w: LoadWindow | null) =>
    w && Object.keys(w.byTarget).some((k) => !k.startsWith("sentinel"))
      ? round((w.byCommand.ping ?? 0) / Object.keys(w.byTarget).filter((k) => !k.startsWith("sentinel")).length, 1)
      : null;
  const ratio = (a: LoadWindow | null, b: LoadWindow | null) => (a && b && b.commandsPerSec > 0 ? round(a.commandsPerSec / b.commandsPerSec, 2) : null);
  const out: Record<string, number | null> = {
    detection_p95_s: round(percentile(det, 95), 2),
    detection_median_s: round(median(det), 2),
    detection_kill_p95_s: round(percentile(byFault("kill"), 95), 2),
    detection_kill_median_s: round(median(byFault("kill")), 2),
    detection_freeze_p95_s: round(percentile(byFault("freeze"), 95), 2),
    detection_freeze_median_s: round(median(byFault("freeze")), 2),
    detection_l3_kill_p95_s: round(percentile(layerSecs("kill"), 95), 2),
    detection_l3_freeze_p95_s: round(percentile(layerSecs("freeze"), 95), 2),
    // The liveness PINGs: a constant per node, whatever the viewers (10 a second by design).
    liveness_pings_per_s_per_node_0_viewers: pingsPerNode(win(0)),
    liveness_pings_per_s_per_node_100_viewers: pingsPerNode(win(100)),
    detection_failed_runs: m.detection.filter((r) => r.seconds === null).length,
    switch_master_visible_s: round(percentile(sw, 100), 2),
    switch_master_visible_median_s: round(median(sw), 2),
    console_commands_per_s_0_viewers: win(0)?.commandsPerSec ?? null,
    console_commands_per_s_1_viewer: win(1)?.commandsPerSec ?? null,
    console_commands_per_s_10_viewers: win(10)?.commandsPerSec ?? null,
    console_commands_per_s_100_viewers: win(100)?.commandsPerSec ?? null,
    viewer_load_ratio_100_to_1: ratio(win(100), win(1)),
    naive_commands_per_s_1_viewer: naive(1)?.commandsPerSec ?? null,
    naive_commands_per_s_100_viewers: naive(100)?.commandsPerSec ?? null,
    naive_load_ratio_100_to_1: ratio(naive(100), naive(1)),
    exporter_commands_per_scrape: m.exporter?.commandsPerScrape ?? null,
    rss_mb_idle: win(0)?.rssMb ?? null,
    rss_mb_100_viewers: win(100)?.rssMb ?? null,
    cpu_percent_idle: win(0)?.cpuPercent ?? null,
    cpu_percent_100_viewers: win(100)?.cpuPercent ?? null,
    snapshot_p50_ms: closed?.p50Ms ?? null,
    snapshot_p99_ms: closed?.p99Ms ?? null,
    snapshot_per_s: closed?.perSec ?? null,
    snapshot_bare_per_s: bare?.perSec ?? null,
    snapshot_throughput_ratio: closed && bare?.perSec ? round(closed.perSec / bare.perSec, 2) : null,
    snapshot_paced_p50_ms: paced?.p50Ms ?? null,
    snapshot_paced_p99_ms: paced?.p99Ms ?? null,
    first_data_ms_median: m.browser?.firstDataMedianMs ?? null,
  };
  for (const p of m.pages) out[`first_load_js_gzip_kb_${p.page}`] = p.gzipKb;
  return out;
}

export function goals(h: Record<string, number | null>): Goal[] {
  const g = (key: string, label: string, unit: string, max: number | null = null): Goal => ({ key, label, unit, max, value: h[key] ?? null });
  return [
    g("detection_kill_p95_s", "master down on screen, kill -9 p95", "s", 0.6),
    g("detection_freeze_p95_s", "master down on screen, SIGSTOP p95", "s", 0.6),
    g("detection_median_s", "  median (kill + freeze)", "s"),
    g("detection_l3_kill_p95_s", "  L3 unavailable on screen, kill -9 p95", "s"),
    g("detection_l3_freeze_p95_s", "  L3 unavailable, SIGSTOP p95 (its own 500 ms timeout first)", "s"),
    g("liveness_pings_per_s_per_node_0_viewers", "  PINGs/s per node (liveness + probes), 0 viewers", ""),
    g("liveness_pings_per_s_per_node_100_viewers", "  PINGs/s per node (liveness + probes), 100 viewers", ""),
    g("switch_master_visible_s", "+switch-master → stream (worst)", "s", 0.5),
    g("switch_master_visible_median_s", "  median", "s"),
    g("viewer_load_ratio_100_to_1", "Redis load 100 / 1 viewers", "", 1.1),
    g("console_commands_per_s_1_viewer", "  console cmds/s, 1 viewer", ""),
    g("console_commands_per_s_100_viewers", "  console cmds/s, 100 viewers", ""),
    g("naive_commands_per_s_100_viewers", "  naive pollers cmds/s, 100 viewers", ""),
    g("exporter_commands_per_scrape", "  redis_exporter cmds per scrape", ""),
    g("cluster_per_node_ratio_3_to_1", "cluster: console load per node, 3 shards / 1 shard", "", 1.1),
    g("cluster_commands_per_s_per_node_1_shard", "  console cmds/s per node, 1 shard (2 nodes)", ""),
    g("cluster_commands_per_s_per_node_3_shards", "  console cmds/s per node, 3 shards (6 nodes)", ""),
    g("fleet_100_cpu_percent", "fleet of 100 deployments: console CPU (% of a core)", "%", 35),
    g("fleet_100_kill_stream_p95_s", "  kill -9 → its stream, middle deployment, p95", "s", 0.3),
    g("fleet_100_kill_fleet_stream_p95_s", "  kill -9 → fleet stream, p95", "s"),
    g("fleet_100_rss_mb", "  console RSS", "MB"),
    g("fleet_30_cpu_percent", "fleet of 30: console CPU (% of a core)", "%"),
    g("fleet_30_kill_stream_p95_s", "  kill -9 → its stream, p95", "s"),
    g("fleet_30_kill_fleet_stream_p95_s", "  kill -9 → fleet stream, p95", "s"),
    g("fleet_30_rss_mb", "  console RSS", "MB"),
    g("rss_mb_100_viewers", "console RSS, 100 viewers", "MB", 250),
    g("rss_mb_idle", "  RSS idle", "MB"),
    g("cpu_percent_idle", "  CPU idle (% of a core)", "%"),
    g("cpu_percent_100_viewers", "  CPU 100 viewers", "%"),
    g("snapshot_p50_ms", "/api/snapshot p50, 50 clients back to back", "ms"),
    g("snapshot_p99_ms", "/api/snapshot p99, 50 clients back to back", "ms"),
    g("snapshot_per_s", "  answered per second", "/s"),
    g("snapshot_bare_per_s", "  bare node:http, same bytes, per second", "/s"),
    { ...g("snapshot_throughput_ratio", "  console / bare throughput", ""), min: 0.5 },
    g("snapshot_paced_p50_ms", "  p50, 50 clients polling 4/s each", "ms"),
    g("snapshot_paced_p99_ms", "  p99, 50 clients polling 4/s each", "ms", 10),
    g("first_load_js_gzip_kb_overview", "first-load JS Overview (gzip)", "kB", 200),
    ...Object.keys(h)
      .filter((k) => k.startsWith("first_load_js_gzip_kb_") && k !== "first_load_js_gzip_kb_overview")
      .map((k) => g(k, `  ${k.replace("first_load_js_gzip_kb_", "")}`, "kB")),
    g("first_data_ms_median", "first data on screen (Chromium, median)", "ms", 300),
  ];
}
