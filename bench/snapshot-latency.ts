/**
 * GET /api/snapshot from 50 keep-alive clients, two ways: back to back (each client sends its next
 * request as soon as the last answers: the server's throughput, and the queueing it causes) and
 * paced (each client polls every `intervalMs`: latency under a steady heavy load).
 */
import http from "node:http";
import { CONSOLE_URL } from "./env";
import { percentile, round, sleep } from "./stats";

export interface LatencyResult {
  mode: "back-to-back" | "paced" | "bare-back-to-back";
  requests: number;
  concurrency: number;
  intervalMs: number | null;
  failures: number;
  /** What the first failure said (a timeout, a reset, a status). */
  firstFailure?: string;
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

/** `intervalMs` null: back to back; otherwise each client starts a request every intervalMs (never two at once). */
export async function snapshotLatency(concurrency: number, total: number, intervalMs: number | null, base = CONSOLE_URL): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL("/api/snapshot", base);
  const times: number[] = [];
  let started = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  // Warm-up: connection set-up is not what is measured.
  await Promise.all(Array.from({ length: concurrency }, () => get(agent, url).catch(() => 0)));
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      if (intervalMs) await sleep((i / concurrency) * intervalMs);
      let due = performance.now();
      while (started < total) {
        started++;
        try {
          times.push(await get(agent, url));
        } catch (err) {
          failures++;
          firstFailure ??= (err as Error).message;
        }
        if (intervalMs) {
          due += intervalMs;
          await sleep(Math.max(0, due - performance.now()));
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return {
    mode: intervalMs ? "paced" : base === CONSOLE_URL ? "back-to-back" : "bare-back-to-back",
    requests: total,
    concurrency,
    intervalMs,
    failures,
    ...(firstFailure ? { firstFailure } : {}),
    p50Ms: round(percentile(times, 50), 1),
    p99Ms: round(percentile(times, 99), 1),
    maxMs: round(percentile(times, 100), 1),
    perSec: round(total / seconds, 0)!,
  };
}

/**
 * The limit of this machine for the same answer: a bare node:http server serving the console's
 * own snapshot bytes (fetched once) to the same load generator, so the console's back-to-back
 * throughput can be given as a share of it.
 */
export async function bareServer(port: number): Promise<{ url: string; close: () => Promise<void> }> {
  const res = await fetch(new URL("/api/snapshot", CONSOLE_URL), { signal: AbortSignal.timeout(5000) });
  const body = Buffer.from(await res.arrayBuffer());
  const server = http.createServer((_req, out) => {
    out.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length, "Cache-Control": "no-store" });
    out.end(body);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
