/**
 * Chart ranges from Prometheus do not multiply (issue 30, item 5): thirty distinct `minutes`
 * between 61 and 90 are one range (180, the next the UI offers), so a real Prometheus sees the
 * query_range calls of one history, not thirty. Counted by Prometheus's own request metric.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, type RunningConsole } from "./helpers/console";
import { startPrometheus, type Daemon } from "./helpers/prometheus";
import { CONSOLE_PORTS, PORTS } from "./helpers/stack";

let prom: Daemon;
let app: RunningConsole;
let dir: string;

/** A history answer; a range from Prometheus may take longer than app.get's 5 s on a busy machine. */
const history = async (minutes: number) =>
  (await (await fetch(`${app.url}/api/history?minutes=${minutes}`, { signal: AbortSignal.timeout(30_000) })).json()) as { minutes: number; source: string };

/** query_range requests Prometheus has answered since it started. */
async function queryRanges(): Promise<number> {
  const text = await (await fetch(`${prom.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  return [...text.matchAll(/^prometheus_http_requests_total\{[^}]*handler="\/api\/v1\/query_range"[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-history-ranges-"));
  prom = await startPrometheus({ port: PORTS.historyRanges, consoleAddr: "127.0.0.1:1", exporterAddr: "127.0.0.1:1", redisTargets: [] });
  app = await startConsole({ port: CONSOLE_PORTS.historyRanges, devstackDir: path.join(dir, "none"), env: { PROMETHEUS_URL: prom.url } });
}, 90_000);
afterAll(async () => {
  await app?.stop();
  await prom?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/history beyond the hour", () => {
  it("thirty distinct minutes from 61 to 90 cost Prometheus the queries of one range", async () => {
    expect(await history(61)).toMatchObject({ minutes: 180, source: "prometheus" });
    const perHistory = await queryRanges();
    expect(perHistory).toBeGreaterThan(0);
    for (let m = 62; m <= 90; m++) expect((await history(m)).minutes).toBe(180);
    // The answer is shared for at least 5 s: a slow run may cost one more history, never one per minutes.
    expect(await queryRanges()).toBeLessThanOrEqual(2 * perHistory);
  });
});
