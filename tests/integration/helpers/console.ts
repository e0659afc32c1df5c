/**
 * Runs the built console (`scripts/serve.mjs`, what `npm start` runs) as a real server for an integration test, pointed at a
 * test devstack. Needs a prior `npx next build` (npm test builds before the integration suite).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { beforeEach } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ControlClient, type ControlMethod } from "../../../lib/contract/control-client";
import type { StackState } from "../../../lib/contract/devstack-state";
import type { Snapshot } from "../../../lib/snapshot/types";
import { waitFor, within } from "./stack";

const repoRoot = path.resolve(__dirname, "../../..");

export interface RunningConsole {
  url: string;
  pid: number;
  dataDir: string;
  /** Everything the server printed, for secret scans and crash checks. */
  output(): string;
  snapshot(): Promise<Snapshot>;
  /** GET route; `headers` e.g. an operator's Authorization. */
  get<T = unknown>(route: string, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/**
 * Every console this test process started. A hook that times out never reaches the test's own
 * stop(); the console must not outlive the file and hold its port and a core.
 */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** What each live console printed, said when a test fails: a 500 or a refusal is read with its cause. */
const outputs = new Map<number, () => string>();
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    for (const [port, output] of outputs) console.log(`[console :${port}] its output, the last 4000 characters:\n${output().slice(-4000)}`);
  });
});

export async function startConsole(opts: {
  port: number;
  devstackDir: string;
  env?: Record<string, string>;
  /** A data dir made by the test (removed on stop like the default temp one). */
  dataDir?: string;
}): Promise<RunningConsole> {
  if (!fs.existsSync(path.join(repoRoot, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
    throw new Error("no production build: run `npx next build` first (npm test does)");
  }
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "rrc-console-"));
  let out = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, "scripts/serve.mjs"), "-H", "127.0.0.1", "-p", String(opts.port)], {
    cwd: repoRoot,
    env: { ...process.env, DEVSTACK_DIR: opts.devstackDir, CONSOLE_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", RRC_EXIT_WITH_PARENT: "1", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  running.add(child);
  child.once("exit", () => {
    running.delete(child);
    outputs.delete(opts.port);
  });
  outputs.set(opts.port, () => out);
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${opts.port}`;
  const get = async <T>(route: string, headers?: Record<string, string>) => {
    // The answer and its body, bounded as a whole from here too: the signal alone is the fetch's word.
    const { res, text } = await within(
      `GET ${route}`,
      6000,
      fetch(url + route, { headers, signal: AbortSignal.timeout(5000) }).then(async (r) => ({ res: r, text: await r.text() })),
    );
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: body as T };
  };
  // Stop waiting as soon as the process exits: a refused start is an answer, not a slow one. The
  // outer bound holds whatever hangs inside (a hook once timed out here with the console up).
  const healthy = waitFor("console /api/health", async () => exited() || (await get("/api/health")).status === 200, 60_000, 200);
  await within("console /api/health (the whole wait)", 75_000, healthy).catch((err: Error) => {
    // Never leave a console behind on its port: the next run would talk to it instead.
    child.kill("SIGKILL");
    throw new Error(`${err.message}; the console's output: ${out.slice(-2000)}`);
  });
  if (exited()) throw new Error(`console exited (${child.exitCode}): ${out.slice(-2000)}`);
  return {
    url,
    pid: child.pid!,
    dataDir,
    output: () => out,
    get,
    snapshot: async () => (await get<Snapshot>("/api/snapshot")).body,
    stop: async () => {
      // A child killed by a signal (a test's kill -9) has no exit code, only a signal code: it has exited all the same.
      if (!exited()) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await gone;
        clearTimeout(t);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the devstack control API with the stack's bearer token; throws on a refusal (the contract's client). */
export function control(state: Pick<StackState, "control" | "controlToken">, method: ControlMethod, route: string, body?: unknown): Promise<any> {
  return ControlClient.forState(state).call<any>(method, route, body, 120_000);
}
