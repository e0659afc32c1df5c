/**
 * The standard Redis dashboard (redis_exporter's contrib dashboard, gnetId 763) on /api/metrics:
 * Debian's prometheus-redis-exporter and the console scrape the same devstack master, and every
 * metric the dashboard uses must exist in both with the same type, the console carrying every
 * label the exporter has (plus its own node, addr, deployment).
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { startConsole, type RunningConsole } from "./helpers/console";
import { startExporter, type Daemon } from "./helpers/prometheus";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

/** Every metric the dashboard's panels query. */
const DASHBOARD = [
  "redis_up",
  "redis_uptime_in_seconds",
  "redis_connected_clients",
  "redis_blocked_clients",
  "redis_memory_used_bytes",
  "redis_memory_max_bytes",
  "redis_commands_processed_total",
  "redis_commands_total",
  "redis_commands_duration_seconds_total",
  "redis_keyspace_hits_total",
  "redis_keyspace_misses_total",
  "redis_net_input_bytes_total",
  "redis_net_output_bytes_total",
  "redis_db_keys",
  "redis_db_keys_expiring",
  "redis_expired_keys_total",
  "redis_evicted_keys_total",
];
const OWN_LABELS = new Set(["node", "addr", "deployment"]);

interface Family {
  type: string;
  labels: Set<string>;
}

function families(text: string): Map<string, Family> {
  const out = new Map<string, Family>();
  for (const line of text.split("\n")) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) {
      out.set(t[1], { type: t[2], labels: new Set() });
      continue;
    }
    const s = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+/.exec(line);
    if (!s) continue;
    const fam = out.get(s[1]);
    if (fam && s[2]) for (const m of s[2].matchAll(/([a-zA-Z_]\w*)="/g)) fam.labels.add(m[1]);
  }
  return out;
}

describe("the standard Redis dashboard on /api/metrics", () => {
  const settings = testSettings(PORTS.exporterDashboard);
  let state: StackState;
  let app: RunningConsole;
  let exporter: Daemon;

  beforeAll(async () => {
    state = await startStack(settings);
    exporter = await startExporter(PORTS.exporterDashboard + 15, state.password);
    app = await startConsole({ port: CONSOLE_PORTS.exporterDashboard, devstackDir: settings.dir });
  });
  afterAll(async () => {
    await app?.stop();
    await exporter?.stop();
    await stopStack(settings);
  });

  it("every dashboard metric has the exporter's name, type and labels", async () => {
    // redis-a, the master at start; the exporter and the console read the same INFO from it.
    const master = state.nodes.find((n) => n.kind === "redis")!;
    const scrape = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
    // The console's metrics come from its last tick's INFO: wait until the per-command lines are there.
    const consoleText = await waitFor(
      "the console's commandstats metrics",
      async () => {
        const t = await scrape(`${app.url}/api/metrics`);
        return /^redis_commands_total\{/m.test(t) && /^redis_db_keys\{/m.test(t) ? t : null;
      },
      30_000,
      500,
    );
    const exporterText = await scrape(`${exporter.url}/scrape?target=redis://127.0.0.1:${master.port}`);
    const ours = families(consoleText);
    const theirs = families(exporterText);
    const report: string[] = [];
    for (const name of DASHBOARD) {
      const e = theirs.get(name);
      const c = ours.get(name);
      expect(e, `${name} missing from redis_exporter's answer`).toBeDefined();
      expect(c, `${name} missing from /api/metrics`).toBeDefined();
      expect(c!.type, `${name} type`).toBe(e!.type);
      expect(c!.labels.size, `${name} has samples`).toBeGreaterThan(0);
      for (const l of e!.labels) expect([...c!.labels], `${name} label ${l}`).toContain(l);
      const extra = [...c!.labels].filter((l) => !e!.labels.has(l) && !OWN_LABELS.has(l));
      expect(extra, `${name}: labels the exporter does not have`).toEqual([]);
      report.push(`${name} ${e!.type} {${[...e!.labels].join(",")}}`);
    }
    console.log(`[exporter-dashboard] ${DASHBOARD.length} dashboard metrics match:\n${report.join("\n")}`);
    // promtool exits non-zero on any format or naming problem in the added families.
    execFileSync("promtool", ["check", "metrics"], { input: consoleText });
    // The same commands are counted: GET-like reads by the layers show on both sides.
    expect(consoleText).toMatch(/^redis_commands_total\{[^}]*cmd="info"/m);
    expect(exporterText).toMatch(/^redis_commands_total\{[^}]*cmd="info"/m);
  });
});
