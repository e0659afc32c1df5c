/** GET /api/snapshot from `concurrency` keep-alive clients until `total` requests have answered. */
import http from "node:http";
import { CONSOLE_URL } from "./env";
import { percentile, round } from "./stats";

export interface LatencyResult {
  requests: number;
  concurrency: number;
  failures: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  perSec: number;
}

function get(agent: http.Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("timeout", () => req.destroy(new Error("timed out after 5 s")));
    req.on("error", reject);
  });
}

export async function snapshotLatency(concurrency = 50, total = 3000): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL("/api/snapshot", CONSOLE_URL);
  const times: number[] = [];
  let started = 0;
  let failures = 0;
  // A short warm-up so connection set-up is not what is measured.
  await Promise.all(Array.from({ length: concurrency }, () => get(agent, url).catch(() => 0)));
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        try {
          times.push(await get(agent, url));
        } catch {
          failures++;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return {
    requests: total,
    concurrency,
    failures,
    p50Ms: round(percentile(times, 50), 1),
    p99Ms: round(percentile(times, 99), 1),
    maxMs: round(percentile(times, 100), 1),
    perSec: round(total / seconds, 0)!,
  };
}
