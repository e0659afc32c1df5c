/**
 * The deployable build (issue 26, part 8): the standalone output assembled by
 * scripts/standalone.mjs, copied into an empty directory with no repo and no npm, started there
 * as a non-root user (`nobody`) with a config file and its Redis password from the environment,
 * as the Dockerfile and the Kubernetes example run it. It serves the Overview with the sandbox's
 * data and keeps its store (PGlite) in its own data dir. No container runs on this machine.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { Snapshot } from "../../lib/snapshot/types";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const repoRoot = path.resolve(__dirname, "../..");
const asRoot = process.getuid?.() === 0;
/** runuser by its path: the console's own PATH (a container's) has no sbin. */
const RUNUSER = asRoot ? execFileSync("sh", ["-c", "command -v runuser"], { encoding: "utf8" }).trim() : "";

describe("the deployable build, copied out and run as a non-root user", () => {
  const settings = testSettings(PORTS.standalone);
  const base = path.join(os.tmpdir(), `rrc-standalone-${PORTS.standalone}`);
  const out = path.join(base, "console");
  const dataDir = path.join(base, "data");
  const url = `http://127.0.0.1:${CONSOLE_PORTS.standalone}`;
  let state: StackState;
  let server: ChildProcess | null = null;
  let output = "";
  const get = async (route: string) => {
    const res = await fetch(url + route, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    state = await startStack(settings);
    fs.rmSync(base, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    execFileSync(process.execPath, [path.join(repoRoot, "scripts/standalone.mjs"), out], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
    // The deployment's config, as a ConfigMap mounts it: the sandbox watched as any deployment (read-only), its password from the environment.
    const config = {
      deployment: "standalone-sandbox",
      source: "external",
      redis: {
        masterName: state.masterName,
        nodes: state.nodes.map((n) => ({ id: n.name, host: "127.0.0.1", port: n.port })),
        sentinels: state.sentinels.map((s) => ({ id: s.name, host: "127.0.0.1", port: s.port })),
        password: { from: "env", name: "REDIS_PASSWORD" },
      },
    };
    fs.writeFileSync(path.join(base, "console.json"), JSON.stringify(config), { mode: 0o644 });
    fs.chmodSync(base, 0o755);
    if (asRoot) execFileSync("chown", ["-R", "nobody:nogroup", dataDir]);
    const command = [process.execPath, path.join(out, "scripts/serve.mjs"), "-H", "127.0.0.1", "-p", String(CONSOLE_PORTS.standalone)];
    // Nothing of the repo's environment: only what a container would be given.
    const child = spawn(asRoot ? RUNUSER : command[0], asRoot ? ["-u", "nobody", "--", ...command] : command.slice(1), {
      cwd: out,
      env: {
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: base,
        CONSOLE_CONFIG: path.join(base, "console.json"),
        CONSOLE_DATA_DIR: dataDir,
        REDIS_PASSWORD: state.password,
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    server = child;
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    await waitFor(
      "the standalone console's /api/health",
      async () => {
        if (child.exitCode !== null) throw new Error(`it exited (${child.exitCode}): ${output.slice(-2000)}`);
        return (await get("/api/health").catch(() => ({ status: 0 }))).status === 200;
      },
      90_000,
      250,
    );
  }, 180_000);

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const gone = new Promise((r) => server!.once("exit", r));
      process.kill(-server.pid, "SIGTERM");
      const t = setTimeout(() => process.kill(-server!.pid!, "SIGKILL"), 5000);
      await gone;
      clearTimeout(t);
    }
    fs.rmSync(base, { recursive: true, force: true });
    await stopStack(settings);
  });

  it("holds the compiled server and its dependencies, not the repo's sources or tests", () => {
    expect(fs.existsSync(path.join(out, "scripts/serve.mjs"))).toBe(true);
    expect(fs.existsSync(path.join(out, ".next/static"))).toBe(true);
    expect(fs.existsSync(path.join(out, "node_modules/@electric-sql/pglite"))).toBe(true);
    for (const absent of ["tests", "lib", "app", "devstack", "next.config.js", "server.js"]) expect(fs.existsSync(path.join(out, absent))).toBe(false);
  });

  it("serves the Overview with the sandbox's data, and keeps its store in the data dir as the non-root user", async () => {
    const snap = await waitFor(
      "a snapshot with every node answering",
      async () => {
        const s = JSON.parse((await get("/api/snapshot")).text) as Snapshot;
        return s.redis.nodes.length === state.nodes.length && s.redis.nodes.every((n) => n.up && n.usedMemory > 0) ? s : null;
      },
      60_000,
      250,
    );
    expect(snap.deployment.name).toBe("standalone-sandbox");
    expect(snap.sentinel.master.addr).toMatch(/^127\.0\.0\.1:\d+$/);
    const page = await get("/");
    expect(page.status).toBe(200);
    for (const n of state.nodes) expect(page.text).toContain(n.name);
    expect(page.text).not.toContain(state.password);
    const ready = await waitFor("/api/ready", async () => ((await get("/api/ready")).status === 200 ? JSON.parse((await get("/api/ready")).text) : null));
    expect(ready.store).toMatchObject({ engine: "pglite", answering: true });
    if (asRoot) expect(fs.statSync(path.join(dataDir, "store")).uid).toBe(Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim()));
  });
});
