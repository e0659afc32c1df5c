#!/usr/bin/env node
/**
 * The console's server: Next's request handler behind a node:http server, so the one hot route
 * (GET /api/snapshot, polled by every fallback viewer and script) can be answered from the
 * already-serialized bytes before Next's router (lib/http/fast-snapshot.ts). Everything else is
 * Next's. Same flags as `next start`: -H host (default 127.0.0.1, never all interfaces), -p port.
 * NEXT_DIST_DIR picks the build, as in next.config.js.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// As `next start` does, before Next (and React, which picks its build from it) is loaded.
Object.assign(process.env, { NODE_ENV: "production" });
// The deployable build (scripts/standalone.mjs) has no next.config.js: as Next's standalone
// server.js does, the config the build used is given to Next from the build itself.
const builtConfig = path.join(dir, process.env.NEXT_DIST_DIR || ".next", "required-server-files.json");
if (!fs.existsSync(path.join(dir, "next.config.js")) && fs.existsSync(builtConfig))
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(fs.readFileSync(builtConfig, "utf8")).config);
const { default: next } = await import("next");

const args = process.argv.slice(2);
/** @param {string} short @param {string} long @param {string} fallback */
const flag = (short, long, fallback) => {
  const i = args.findIndex((a) => a === short || a === long);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const hostname = flag("-H", "--hostname", "127.0.0.1");
const port = Number(flag("-p", "--port", process.env.PORT ?? "3000"));
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`[console] -p must be a port number (1-65535), got "${flag("-p", "--port", "")}"`);
  process.exit(2);
}
// As `next start` does: code that calls the console itself (the viewer gateway) reads its port here.
// lib/auth/exposure.ts reads the listen address: off loopback, every read needs a credential.
Object.assign(process.env, { PORT: String(port), RRC_LISTEN_HOST: hostname });
const FAST_PATH = Symbol.for("rrc.fast-path");

const app = next({ dev: false, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  const fast = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[FAST_PATH];
  if (typeof fast === "function" && fast(req, res)) return;
  void handle(req, res);
});
// A client that never finishes its headers must not hold a socket for ever.
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
server.on("error", (err) => {
  console.error(`[console] cannot listen on ${hostname}:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`[console] ready on http://${hostname}:${port}`));

// Streams (SSE) never end on their own: stop accepting, give answers in flight a moment, then let
// the store write what it holds and close (lib/store/instance.ts, bounded), exit.
const SHUTDOWN = Symbol.for("rrc.shutdown");
for (const sig of ["SIGINT", "SIGTERM"])
  process.once(sig, () => {
    const closeStore = /** @type {Record<symbol, (() => Promise<void>) | undefined>} */ (/** @type {unknown} */ (globalThis))[SHUTDOWN];
    const exit = () => void Promise.resolve(closeStore?.()).finally(() => process.exit(0));
    server.close(exit);
    server.closeIdleConnections();
    setTimeout(exit, 1000).unref();
    // Whatever hangs (a store that never answers its close), a stop is a stop: out within 10 s.
    setTimeout(() => process.exit(0), 10_000).unref();
  });

// A test's console dies with the test process that started it: a worker killed mid-hook (a
// timeout) runs no `exit` handler, and its console would hold its port and a core for ever.
if (process.env.RRC_EXIT_WITH_PARENT === "1") {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
  }, 1000).unref();
}
