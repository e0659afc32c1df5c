/**
 * Memory pressure end to end against a real devstack and the built console: the control API
 * fills the master, the snapshot shows the used ratio rise, the 80 % rule fires and resolves
 * after a reset, evictions are attributed to key classes, and promtool accepts the rules file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { prometheusRules } from "../../lib/alerts/prometheus-rules";
import type { ConfigAuditReport } from "../../lib/config/audit-types";
import { Thresholds } from "../../lib/config/schema";
import type { KeyspaceReport } from "../../lib/keyspace/types";
import type { Snapshot } from "../../lib/snapshot/types";
import type { TimelineEvent } from "../../lib/timeline/types";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const masterOf = (s: Snapshot) => s.redis.nodes.find((n) => n.up && n.role === "master") ?? null;
const usedRatio = (s: Snapshot) => {
  const m = masterOf(s);
  return m && m.maxmemory ? m.usedMemory / m.maxmemory : null;
};
const memoryAlert = (s: Snapshot) => s.alerts.find((a) => a.rule === "redis_memory_used_ratio");

function promtoolPath(): string | null {
  const found = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

describe("memory pressure, key classes and alert rules (real devstack + console)", () => {
  const settings = testSettings(PORTS.memory);
  let state: StackState;
  let app: RunningConsole;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-memory-test-"));

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({ port: CONSOLE_PORTS.memory, devstackDir: settings.dir });
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("samples the master's keys by class and audits every node's config against the guide", async () => {
    await control(state, "POST", "/workloads/traffic/start", { rps: 40 });
    const report = await waitFor(
      "keyspace sampler past warm-up with layer keys",
      async () => {
        const r = (await app.get<KeyspaceReport>("/api/keyspace")).body;
        return r.state === "ok" && r.classes.some((c) => c.keyClass === "L1" && c.sampledKeys > 0) ? r : null;
      },
      60_000,
      1000,
    );
    expect(report.master).toBe("redis-a");
    expect(report.dbsize).toBeGreaterThan(0);
    expect(report.classes.map((c) => c.keyClass)).toEqual(expect.arrayContaining(["L1", "L2", "L3", "CP"]));
    // Presentation mode: namespaces stay (they are the guide's), key names go.
    const example = report.classes.find((c) => c.exampleKeys?.length)!.exampleKeys![0];
    const hidden = (await app.get<KeyspaceReport>("/api/keyspace?present=1")).body;
    expect(hidden.classes.every((c) => c.exampleKeys === undefined)).toBe(true);
    expect(JSON.stringify(hidden)).not.toContain(example);
    expect((await app.get("/api/keyspace?present=yes")).status).toBe(400);

    const audit = await waitFor(
      "config audit read",
      async () => {
        const a = (await app.get<ConfigAuditReport>("/api/config-audit")).body;
        return a.nodes.every((n) => n.state === "read") && a.sentinels.every((s) => s.state === "read") ? a : null;
      },
      30_000,
      500,
    );
    const verdict = (node: string, name: string) => audit.nodes.find((n) => n.id === node)!.settings.find((s) => s.name === name)!;
    expect(verdict("redis-a", "appendonly")).toMatchObject({ value: "yes", status: "ok" });
    expect(verdict("redis-a", "maxmemory")).toMatchObject({ value: "64mb", status: "drift" });
    expect(verdict("redis-b", "min-replicas-to-write").status).toBe("recommendation");
    expect(verdict("redis-a", "requirepass").value).toBe("set");
    expect(JSON.stringify(audit)).not.toContain(state.password);
    expect(audit.sentinels[0].settings.find((s) => s.name === "down-after-milliseconds")).toMatchObject({ value: "2000", status: "drift" });
  });

  it("a fill to 90 % raises used % and fires the 80 % alert; evictions land on key classes; a reset resolves it", async () => {
    const before = await app.snapshot();
    expect(usedRatio(before)!).toBeLessThan(0.5);
    expect(memoryAlert(before)?.firing).toBe(false);

    await control(state, "POST", "/memory/fill", { targetPercent: 90, ttlSeconds: 600 });
    const full = await waitFor(
      "used % above 85 in /api/snapshot",
      async () => {
        const s = await app.snapshot();
        return (usedRatio(s) ?? 0) > 0.85 ? s : null;
      },
      60_000,
      250,
    );
    expect(full.redis.nodes.find((n) => n.id === "redis-a")!.usedMemory).toBeGreaterThan(0.85 * 64 * 1024 * 1024);
    await waitFor("redis_memory_used_ratio firing", async () => memoryAlert(await app.snapshot())?.firing, 10_000, 250);

    // Push to the ceiling: a fill writes until Redis evicts. used_memory also counts replication and
    // AOF buffers, which eviction does not, so a fill right after another may find nothing to write.
    const deadline = Date.now() + 60_000;
    let evicted = 0;
    while (evicted < 50 && Date.now() < deadline) {
      const fill = (await control(state, "POST", "/memory/fill", { targetPercent: 100, ttlSeconds: 600 })) as { keysWritten: number };
      if (fill.keysWritten === 0) await new Promise((r) => setTimeout(r, 500));
      evicted = masterOf(await app.snapshot())?.evictedKeys ?? 0;
    }
    expect(evicted).toBeGreaterThan(0);
    const report = await waitFor(
      "evictions attributed to key classes in /api/keyspace",
      async () => {
        const r = (await app.get<KeyspaceReport>("/api/keyspace")).body;
        return r.evictions.observed > 0 && r.classes.some((c) => c.evictions > 0) ? r : null;
      },
      120_000,
      2000,
    );
    const perClass = report.classes.reduce((a, c) => a + c.evictions, 0);
    expect(perClass).toBeGreaterThan(0);
    // Every observed eviction is either attributed to a class, still pending, or unattributed.
    expect(Math.abs(perClass + report.evictions.pending + report.evictions.unattributed - report.evictions.observed)).toBeLessThanOrEqual(
      report.classes.length,
    );
    console.log(
      `[memory] evictions observed ${report.evictions.observed}: ${report.classes
        .filter((c) => c.evictions)
        .map((c) => `${c.keyClass} ${c.evictions}`)
        .join(", ")}`,
    );

    await control(state, "POST", "/reset");
    const resolved = await waitFor(
      "redis_memory_used_ratio resolved after reset",
      async () => {
        const s = await app.snapshot();
        return memoryAlert(s)?.firing === false && (usedRatio(s) ?? 1) < 0.5 ? s : null;
      },
      30_000,
      250,
    );
    expect(memoryAlert(resolved)!.since).toBeNull();
    const events = (await app.get<{ events: TimelineEvent[] }>("/api/timeline")).body.events;
    expect(events.some((e) => e.title === "Alert redis_memory_used_ratio firing")).toBe(true);
    expect(events.some((e) => /^Alert redis_memory_used_ratio resolved after \d+(\.\d)? s$/.test(e.title))).toBe(true);
    // Room for its own bounded waits (60 + 10 + 60 + 120 + 30 s): when one runs out, it says which.
  }, 300_000);

  it("GET /api/alert-rules is a rules file promtool accepts, whose memory rule fires at 90 % and not at 60 %", async (ctx) => {
    const promtool = promtoolPath();
    if (!promtool) {
      // CI installs Debian's prometheus package (.ci/run), so there this must run.
      if (process.env.CI) throw new Error("promtool not found: install it with `apt-get install -y prometheus` (.ci/run does)");
      ctx.skip("promtool not found: install it with `apt-get install -y prometheus` to run this check");
    }
    const res = await fetch(`${app.url}/api/alert-rules`, { signal: AbortSignal.timeout(5000) });
    expect(res.headers.get("content-type")).toContain("yaml");
    const rulesFile = path.join(tmp, "redis-alert-rules.yml");
    fs.writeFileSync(rulesFile, await res.text());
    const check = spawnSync(promtool!, ["check", "rules", rulesFile], { encoding: "utf8", timeout: 30_000 });
    // Every rule the console evaluates is in the file promtool reads: as many as the JSON form lists.
    const rules = (await (await fetch(`${app.url}/api/alert-rules?format=json`, { signal: AbortSignal.timeout(5000) })).json()) as
      unknown[] | { rules: unknown[] };
    const count = Array.isArray(rules) ? rules.length : rules.rules.length;
    expect(count).toBeGreaterThanOrEqual(11);
    expect(check.stdout + check.stderr).toContain(`SUCCESS: ${count} rules found`);
    expect(check.status).toBe(0);

    // The check is real: a broken expression is refused.
    const broken = path.join(tmp, "broken.yml");
    fs.writeFileSync(broken, fs.readFileSync(rulesFile, "utf8").replace('"redis_up == 0"', '"redis_up =="'));
    expect(spawnSync(promtool!, ["check", "rules", broken], { encoding: "utf8", timeout: 30_000 }).status).not.toBe(0);

    // And the PromQL means what the console means, on redis_exporter series.
    const memory = prometheusRules(Thresholds.parse({}), "mymaster").find((r) => r.alert === "redis_memory_used_ratio")!;
    const testFile = path.join(tmp, "rules.test.yml");
    fs.writeFileSync(
      testFile,
      [
        "rule_files: [redis-alert-rules.yml]",
        "evaluation_interval: 15s",
        "tests:",
        "  - interval: 15s",
        "    input_series:",
        "      - { series: 'redis_memory_used_bytes{instance=\"full\"}', values: '90x20' }",
        "      - { series: 'redis_memory_max_bytes{instance=\"full\"}', values: '100x20' }",
        "      - { series: 'redis_memory_used_bytes{instance=\"fine\"}', values: '60x20' }",
        "      - { series: 'redis_memory_max_bytes{instance=\"fine\"}', values: '100x20' }",
        "      - { series: 'redis_memory_used_bytes{instance=\"nolimit\"}', values: '90x20' }",
        "      - { series: 'redis_memory_max_bytes{instance=\"nolimit\"}', values: '0x20' }",
        "    alert_rule_test:",
        "      - eval_time: 3m",
        "        alertname: redis_memory_used_ratio",
        "        exp_alerts:",
        "          - exp_labels: { severity: warn, instance: full }",
        `            exp_annotations: { summary: "full uses 90% of maxmemory", description: ${JSON.stringify(memory.description)} }`,
        "",
      ].join("\n"),
    );
    const test = spawnSync(promtool!, ["test", "rules", testFile], { encoding: "utf8", timeout: 30_000, cwd: tmp });
    expect(test.stdout + test.stderr).toContain("SUCCESS");
    expect(test.status).toBe(0);
    expect(() => execFileSync(promtool!, ["--version"], { stdio: "pipe" })).not.toThrow();
  });
});
