/**
 * Bodies on paths proxy.ts runs for are not buffered whole (issue 30, item 4): Next holds a
 * request's body for the proxy up to `proxyClientMaxBodySize` (10 MB by default) while the client
 * sends it. Twenty slow 10 MB POSTs to a page path (2.5 MB/s each) must leave the console's
 * resident memory within 50 MB of where it was, measured in /proc/<pid>/status while they are sent.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS } from "./helpers/stack";

const MB = 1024 * 1024;
const POSTS = 20;
let app: RunningConsole;
let dir: string;

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

/** A 10 MB POST, 256 KB every 100 ms; resolves with the status (0 when the console hung up first). */
function slowPost(route: string): Promise<number> {
  const url = new URL(app.url);
  const chunk = Buffer.alloc(256 * 1024, "x");
  return new Promise((resolve) => {
    let status = 0;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: route,
        headers: { "content-type": "text/plain", "content-length": String(10 * MB) },
        timeout: 60_000,
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.resume();
      },
    );
    let sent = 0;
    const timer = setInterval(() => {
      if (req.destroyed) return (clearInterval(timer), resolve(status));
      req.write(chunk);
      sent += chunk.length;
      if (sent >= 10 * MB) {
        clearInterval(timer);
        req.end(() => resolve(status));
      }
    }, 100);
    req.on("error", () => (clearInterval(timer), resolve(status)));
    req.on("close", () => (clearInterval(timer), resolve(status)));
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-body-limit-"));
  app = await startConsole({ port: CONSOLE_PORTS.proxyBodyLimit, devstackDir: path.join(dir, "none") });
  // The page once before the count, so its first render is not counted as growth.
  await (await fetch(`${app.url}/login`, { signal: AbortSignal.timeout(30_000) })).text();
}, 90_000);
afterAll(async () => {
  await app?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("POST bodies on proxied paths", () => {
  it(`${POSTS} slow POSTs of 10 MB to a page: RSS stays within 50 MB of its start`, async () => {
    const start = rssOf(app.pid);
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(app.pid))), 100);
    let statuses: number[];
    try {
      statuses = await Promise.all(Array.from({ length: POSTS }, () => slowPost("/login")));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rssOf(app.pid));
    console.log(`[proxy-body-limit] RSS start ${(start / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB; statuses ${[...new Set(statuses)].join(",")}`);
    expect(peak - start).toBeLessThan(50 * MB);
    expect((await app.get("/api/health")).status).toBe(200);
  }, 120_000);
});
