#!/usr/bin/env node
/**
 * `npm run demo`: everything a fresh clone needs, then the sandbox and the console on 127.0.0.1.
 *   - npm ci when node_modules is missing
 *   - redis-server/redis-sentinel via apt-get when root and missing (else prints the command)
 *   - a production build when the sources are newer than the last one
 *   - the devstack (reused if one is already up in DEVSTACK_DIR), then the console server (`scripts/serve.mjs`: Next behind node:http)
 *   - OPERATOR_TOKEN honoured, or generated (kept in <data dir>/operator-token, 0600); the login
 *     link printed carries a one-time code (single use, 10 minutes), never the token
 * Ctrl-C or SIGTERM stops the console and the sandbox it started.
 * Env: PORT (3000), DEVSTACK_DIR (.devstack), DEVSTACK_BASE_PORT (6400), DEMO_SKIP_BUILD=1.
 * Flags: `--tls --acl` (or DEVSTACK_TLS=1 / DEVSTACK_ACL=1) start the sandbox TLS-only with ACL
 * users (`npm run demo -- --tls --acl`); the console reads its user and the CA from the state file.
 * `--cluster` starts the Redis Cluster sandbox instead (`npm run stack -- up --cluster`: 3 masters,
 * 3 replicas, the layers on cluster clients; env DEVSTACK_CLUSTER_DIR (.devstack-cluster),
 * DEVSTACK_CLUSTER_BASE_PORT (7100)) and the console with CONSOLE_SANDBOX=cluster.
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { keepOperatorToken } from "./operator-token.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const port = Number(process.env.PORT ?? 3000);
const say = (/** @type {string} */ msg) => console.log(`[demo] ${msg}`);
// Sandbox flags passed through to `stack up`: only these, so a typo is not silently ignored.
const SANDBOX_FLAGS = ["--tls", "--acl"];
const cluster = process.argv.includes("--cluster");
const unknown = process.argv.slice(2).filter((a) => !SANDBOX_FLAGS.includes(a) && a !== "--cluster");
if (unknown.length || (cluster && process.argv.length > 3)) {
  console.error(
    `[demo] ${unknown.length ? `unknown option ${unknown.join(" ")}` : "--cluster takes no other option"}; usage: npm run demo [-- --tls --acl | --cluster]`,
  );
  process.exit(2);
}
const upFlags = cluster ? [] : process.argv.slice(2);
const CLUSTER_DEFAULT_DIR = ".devstack-cluster";
const stackDir = cluster ? (process.env.DEVSTACK_CLUSTER_DIR ?? CLUSTER_DEFAULT_DIR) : (process.env.DEVSTACK_DIR ?? ".devstack");
const basePort = cluster ? process.env.DEVSTACK_CLUSTER_BASE_PORT : process.env.DEVSTACK_BASE_PORT;
const stackArgs = ["--dir", stackDir, ...(basePort ? ["--base-port", basePort] : []), ...(cluster ? ["--cluster"] : [])];
const downHint = cluster ? "npm run stack -- down --cluster" : "npm run stack -- down";
/** What the console is told about the sandbox: the Sentinel one's dir, or that it watches the cluster (and where, when not the default). */
const consoleEnv = cluster
  ? { CONSOLE_SANDBOX: "cluster", ...(path.resolve(stackDir) !== path.resolve(CLUSTER_DEFAULT_DIR) ? { DEVSTACK_CLUSTER_DIR: stackDir } : {}) }
  : { DEVSTACK_DIR: stackDir };

/** @param {string} cmd @param {string[]} args @param {import("node:child_process").SpawnSyncOptions} [opts] */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.status !== 0) {
    console.error(`[demo] \`${cmd} ${args.join(" ")}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(2);
  }
}

const has = (/** @type {string} */ bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;

/** @param {string} dir @returns {number} */
function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  const id = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(id)) return true;
  const built = fs.statSync(id).mtimeMs;
  const sources = Math.max(
    ...["app", "components", "lib", "public"].map((d) => newestMtime(path.join(root, d))),
    ...["next.config.js", "package-lock.json", "instrumentation.ts", "instrumentation-node.ts"].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)),
  );
  return sources > built;
}

if (!fs.existsSync(path.join(root, "node_modules"))) {
  say("installing npm packages (npm ci)…");
  run("npm", ["ci"], { env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" } });
}

if (cluster && (!has("redis-server") || !has("redis-cli"))) {
  console.error("[demo] redis-server and redis-cli are missing. Install them with:\n  sudo apt-get update && sudo apt-get install -y redis-server redis-tools");
  process.exit(2);
}
if (!cluster && (!has("redis-server") || !has("redis-sentinel"))) {
  const cmd = "apt-get update && apt-get install -y redis-server redis-sentinel redis-tools";
  if (process.getuid?.() === 0) {
    say(`installing Redis: ${cmd}`);
    run("sh", ["-c", cmd], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } else {
    console.error(`[demo] redis-server and redis-sentinel are missing. Install them with:\n  sudo ${cmd.replace("&& apt-get", "&& sudo apt-get")}`);
    process.exit(2);
  }
}

if (process.env.DEMO_SKIP_BUILD !== "1" && buildIsStale()) {
  say("building the console (next build)…");
  run("npx", ["next", "build"]);
}

// Another server on the port would answer /api/health in the console's place: say so instead of "ready".
const portFree = await new Promise((resolve) => {
  const probe = net.createServer().once("error", () => resolve(false));
  probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
});
if (!portFree) {
  console.error(`[demo] port ${port} on 127.0.0.1 is taken by another process: free it, or run with PORT=<another port>`);
  process.exit(2);
}
const status = spawnSync("npx", ["tsx", "devstack/cli.ts", "status", ...stackArgs], { encoding: "utf8" });
const reuseStack = status.status === 0;
if (reuseStack)
  say(
    `reusing the sandbox already running in ${stackDir}${upFlags.length ? ` (as it was started: ${upFlags.join(" ")} applies to a new one; stop it first with ${downHint})` : ""}`,
  );
else if (cluster) {
  say("starting the cluster sandbox (Redis Cluster: 3 masters + 3 replicas, layers on cluster clients)…");
  run("npx", ["tsx", "devstack/cli.ts", "up", ...stackArgs]);
} else {
  say(`starting the sandbox (redis master + replica, 3 sentinels, layers, fault proxy${upFlags.length ? `; ${upFlags.join(" ")}` : ""})…`);
  run("npx", ["tsx", "devstack/cli.ts", "up", ...stackArgs, ...upFlags]);
}

const token = process.env.OPERATOR_TOKEN || crypto.randomBytes(32).toString("base64url");
const dataDir = path.resolve(process.env.CONSOLE_DATA_DIR ?? ".console-data");
const tokenFile = path.join(dataDir, "operator-token");
if (!process.env.OPERATOR_TOKEN) keepOperatorToken(dataDir, token);
const consoleProc = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), "-H", "127.0.0.1", "-p", String(port)], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, OPERATOR_TOKEN: token, ...consoleEnv },
  detached: true,
});

let stopping = false;
/** @param {number} code */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  try {
    if (consoleProc.pid) process.kill(-consoleProc.pid, "SIGTERM");
  } catch {}
  if (!reuseStack) spawnSync("npx", ["tsx", "devstack/cli.ts", "down", ...stackArgs], { stdio: "inherit" });
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
consoleProc.on("exit", (code) => {
  if (!stopping) {
    console.error(`[demo] the console exited (code ${code})`);
    void stop(1);
  }
});

const url = `http://127.0.0.1:${port}`;
let healthy = false;
for (let i = 0; i < 120 && !stopping && !healthy; i++) {
  try {
    healthy = (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {}
  if (!healthy) await new Promise((r) => setTimeout(r, 500));
}
// "ready" is a promise that the URL answers: say it only once /api/health did.
if (!healthy) {
  console.error(`[demo] the console did not answer ${url}/api/health within 60 s; stopping`);
  await stop(2);
}
say(`console ready: ${url}`);
/** A one-time login link: the operator token itself never goes into a URL (or a terminal's scrollback). */
async function loginLink() {
  try {
    const res = await fetch(`${url}/api/auth/codes`, { method: "POST", headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    if (!res.ok) return null;
    return `${url}${(await res.json()).loginPath}`;
  } catch {
    return null;
  }
}
const link = await loginLink();
say(link ? `operator login (chaos controls), one-time, valid 10 minutes: ${link}` : "operator login: could not get a one-time code; use the token at /login");
say(
  process.env.OPERATOR_TOKEN
    ? "operator token for scripts: your OPERATOR_TOKEN"
    : `operator token for scripts (Authorization: Bearer …): in ${path.relative(root, tokenFile)} (0600)`,
);
say("Ctrl-C stops the console and the sandbox.");
