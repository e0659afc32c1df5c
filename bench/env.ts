/** Where the bench lives: its own devstack ports and dir, its own console port and build dir. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resolveSettings } from "../devstack/settings";

export const ROOT = path.resolve(import.meta.dirname, "..");
/** Moves every bench port by the tests' shift too, so two people (or helpers) can bench at once. */
export const PORT_SHIFT = Number(process.env.RRC_TEST_PORT_SHIFT ?? 0);
export const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 17700 + PORT_SHIFT);
export const CONSOLE_PORT = Number(process.env.BENCH_CONSOLE_PORT ?? 3399 + PORT_SHIFT);
/** prometheus-redis-exporter listens here (outside the devstack's 11 ports). */
export const EXPORTER_PORT = BASE_PORT + 20;
export const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;
export const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench";
export const CONSOLE_DATA_DIR = ".console-data-bench";

/** Production Sentinel timing (down-after 5 s): a fault the bench undoes within ~2 s never fails over. */
export const STACK_SETTINGS = resolveSettings(["--base-port", String(BASE_PORT), "--dir", ".devstack-bench"], {} as NodeJS.ProcessEnv, ROOT);

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

/** Why DIST_DIR needs a build: none there, or sources newer than it (a stale build measures old code). */
function buildNeeded(): string | null {
  const id = path.join(ROOT, DIST_DIR, "BUILD_ID");
  if (!fs.existsSync(id)) return `no production build in ${DIST_DIR}`;
  const sources = ["app", "components", "lib", "public", "next.config.js", "proxy.ts", "instrumentation.ts", "instrumentation-node.ts", "package-lock.json"];
  return Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s)))) > fs.statSync(id).mtimeMs ? `sources changed since the build in ${DIST_DIR}` : null;
}

/** Builds the console into DIST_DIR (never .next, which others build at the same time) when it is missing or stale; BENCH_SKIP_BUILD=1 uses what is there. */
export function ensureBuild(log: (s: string) => void): void {
  const why = buildNeeded();
  if (!why || (process.env.BENCH_SKIP_BUILD === "1" && fs.existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID")))) return;
  log(`${why}: running next build (a few minutes on 2 cores)…`);
  // next build adds `<distDir>/types/**` to tsconfig.json's include; the bench must leave the tree clean.
  const tsconfig = path.join(ROOT, "tsconfig.json");
  const tsconfigBefore = fs.readFileSync(tsconfig, "utf8");
  let r;
  try {
    r = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "inherit",
      timeout: 15 * 60_000,
    });
  } finally {
    if (fs.readFileSync(tsconfig, "utf8") !== tsconfigBefore) fs.writeFileSync(tsconfig, tsconfigBefore);
  }
  if (r.status !== 0 || !fs.existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"))) throw new Error(`next build failed (exit ${r.status})`);
}

/** The machine the numbers come from: they mean little without it. */
export function machine(): { cpus: number; cpuModel: string; memTotalGb: number; loadAvg1m: number; node: string } {
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0);
  return {
    cpus: (cpuinfo.match(/^processor\s*:/gm) ?? []).length,
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    memTotalGb: Math.round((memKb / 1024 / 1024) * 10) / 10,
    loadAvg1m: Number(fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]),
    node: process.version,
  };
}
