/**
 * Hosted Redis refuses CONFIG (ElastiCache, Memorystore); here a real redis-server with
 * `rename-command CONFIG ""`. The config audit fills what INFO states (maxmemory, its policy,
 * appendonly, min-replicas-to-write), marked from INFO, and keeps "unknown" for the rest; the
 * Config page shows it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigAuditReport } from "../../lib/config/audit-types";
import { launchBrowser, closeBrowser } from "./helpers/browser";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const PORT = PORTS.configFromInfo;

describe("config audit on a Redis without CONFIG", () => {
  let dir: string;
  let server: ChildProcess;
  let app: RunningConsole;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-config-from-info-"));
    const conf = [
      `port ${PORT}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      'save ""',
      "appendonly yes",
      "maxmemory 64mb",
      "maxmemory-policy allkeys-lru",
      "min-replicas-to-write 1",
      "min-replicas-max-lag 10",
      'rename-command CONFIG ""',
    ];
    fs.writeFileSync(path.join(dir, "redis.conf"), conf.join("\n") + "\n");
    server = spawn("redis-server", [path.join(dir, "redis.conf")], { stdio: "ignore", cwd: dir });
    // redis-cli with a process timeout: every wait here is bounded, whatever state the server is in.
    await waitFor("redis-server answering", () => {
      try {
        return execFileSync("redis-cli", ["-p", String(PORT), "ping"], { timeout: 2000, encoding: "utf8" }).trim() === "PONG";
      } catch {
        return false;
      }
    });
    const config = { deployments: [{ deployment: "hosted", source: "external", redis: { nodes: [{ id: "hosted-a", host: "127.0.0.1", port: PORT }] } }] };
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    app = await startConsole({
      port: CONSOLE_PORTS.configFromInfo,
      devstackDir: path.join(dir, "no-devstack"),
      env: { CONSOLE_CONFIG: path.join(dir, "config.json") },
    });
  });
  afterAll(async () => {
    await app?.stop();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the node really refuses CONFIG", async () => {
    const r = new Redis({ port: PORT, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    try {
      await expect(r.config("GET", "maxmemory")).rejects.toThrow(/unknown command/);
    } finally {
      r.disconnect();
    }
  });

  it("fills each setting INFO states, marked from INFO, and leaves the others unknown", async () => {
    const audit = await waitFor("the audit read from INFO", async () => {
      const a = (await app.get<ConfigAuditReport>("/api/config-audit")).body;
      // The first read may come before the console's connection is up (then "unreachable", retried in 5 s).
      return a.at && a.nodes[0]?.state === "config-unavailable" ? a : null;
    });
    const node = audit.nodes[0];
    expect(node).toMatchObject({ id: "hosted-a", state: "config-unavailable" });
    expect(node.error).toMatch(/CONFIG is disabled or renamed .*marked from INFO/);
    const by = Object.fromEntries(node.settings.map((s) => [s.name, s]));
    expect(by.maxmemory).toEqual({ name: "maxmemory", value: "64mb", status: "drift", from: "info" });
    expect(by["maxmemory-policy"]).toEqual({ name: "maxmemory-policy", value: "allkeys-lru", status: "ok", from: "info" });
    expect(by.appendonly).toEqual({ name: "appendonly", value: "yes", status: "ok", from: "info" });
    expect(by["min-replicas-to-write"]).toMatchObject({ status: "ok", from: "info" });
    for (const name of ["appendfsync", "save", "tcp-keepalive", "timeout", "requirepass"])
      expect(by[name], name).toEqual({ name, value: null, status: "unknown" });
  });

  it("the Config page shows the values with 'from INFO' and no 'audit is off' claim", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await page.goto(`${app.url}/config`);
      const cell = page.getByTestId("config-nodes").locator('[data-testid$="-from"]').first();
      await cell.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("config-nodes").locator('[data-testid$="-from"]').count()).toBe(4);
      await expect.poll(() => page.getByTestId("config-nodes").getByText("CONFIG unavailable, read from INFO").count()).toBe(1);
      expect(await page.getByTestId("config-summary").textContent()).toContain("Drift from production: maxmemory (hosted-a)");
      await page.screenshot({ path: "screenshots/config-from-info.png", fullPage: true });
    } finally {
      await closeBrowser(browser);
    }
  });
});
