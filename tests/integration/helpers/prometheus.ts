/**
 * Debian's `prometheus` and `prometheus-redis-exporter`, started by a test on loopback with their
 * own temp config and data dirs, and always stopped by it. The Redis password reaches the
 * exporter through its environment, never argv.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitFor } from "./stack";

export interface Daemon {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

function run(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cleanup: () => void = () => {},
): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  let out = "";
  const child = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    cleanup();
  };
  return { child, output: () => out, stop };
}

async function ready(what: string, url: string, child: ChildProcess, output: () => string): Promise<void> {
  await waitFor(what, async () => child.exitCode !== null || (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok, 30_000, 200);
  if (child.exitCode !== null) throw new Error(`${what}: exited (${child.exitCode}): ${output().slice(-2000)}`);
}

/** redis_exporter in multi-target mode (`/scrape?target=redis://host:port`), the password from the environment. */
export async function startExporter(port: number, redisPassword: string): Promise<Daemon> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", REDIS_PASSWORD: redisPassword, NODE_ENV: "production" } as NodeJS.ProcessEnv;
  const p = run("prometheus-redis-exporter", ["-web.listen-address", `127.0.0.1:${port}`, "-redis.addr", ""], env);
  const url = `http://127.0.0.1:${port}`;
  try {
    await ready("redis_exporter", url + "/", p.child, p.output);
  } catch (err) {
    await p.stop();
    throw err;
  }
  return { url, output: p.output, stop: p.stop };
}

/** Prometheus scraping the console's /api/metrics and the exporter's targets every second. */
export async function startPrometheus(opts: { port: number; consoleAddr: string; exporterAddr: string; redisTargets: string[] }): Promise<Daemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-prometheus-"));
  const config = `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: console
    metrics_path: /api/metrics
    static_configs:
      - targets: ["${opts.consoleAddr}"]
  # redis_exporter's documented multi-target pattern: the Redis address becomes the instance label.
  - job_name: redis_exporter_targets
    metrics_path: /scrape
    static_configs:
      - targets: [${opts.redisTargets.map((t) => `"${t}"`).join(", ")}]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: ${opts.exporterAddr}
`;
  fs.writeFileSync(path.join(dir, "prometheus.yml"), config);
  const p = run(
    "prometheus",
    [
      "--config.file",
      path.join(dir, "prometheus.yml"),
      "--storage.tsdb.path",
      path.join(dir, "data"),
      "--web.listen-address",
      `127.0.0.1:${opts.port}`,
      "--storage.tsdb.retention.time",
      "1h",
      "--log.level",
      "warn",
    ],
    { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: "production" } as NodeJS.ProcessEnv,
    () => fs.rmSync(dir, { recursive: true, force: true }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await ready("prometheus", url + "/-/ready", p.child, p.output);
  } catch (err) {
    await p.stop();
    throw err;
  }
  return { url, output: p.output, stop: p.stop };
}

/** Debian's `prometheus-alertmanager` on loopback, alone (no gossip cluster), with a receiver that sends nowhere. */
export async function startAlertmanager(port: number): Promise<Daemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-alertmanager-"));
  fs.writeFileSync(path.join(dir, "alertmanager.yml"), "route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n");
  const p = run(
    "prometheus-alertmanager",
    [
      "--config.file",
      path.join(dir, "alertmanager.yml"),
      "--storage.path",
      path.join(dir, "data"),
      "--web.listen-address",
      `127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level",
      "warn",
    ],
    { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: "production" } as NodeJS.ProcessEnv,
    () => fs.rmSync(dir, { recursive: true, force: true }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await ready("alertmanager", url + "/-/ready", p.child, p.output);
  } catch (err) {
    await p.stop();
    throw err;
  }
  return { url, output: p.output, stop: p.stop };
}
