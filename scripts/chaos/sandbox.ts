/**
 * The sandbox the suite runs on: the devstack already up in DEVSTACK_DIR, or one started for
 * the suite (`npx tsx devstack/cli.ts up`) and stopped after it. And whether a console is up
 * and watching that very sandbox.
 */
import { spawn } from "node:child_process";
import { isAlive, readState, type StackState } from "../../devstack/state";

const UP_TIMEOUT_MS = 150_000;
const DOWN_TIMEOUT_MS = 60_000;

/** The sandbox running in `dir`, or null. */
export function runningSandbox(dir: string): StackState | null {
  const state = readState(dir);
  return state && state.ready && isAlive(state.supervisorPid) ? state : null;
}

function stackCli(root: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Its own process group, so a Ctrl-C meant for the suite does not kill a sandbox half started.
    const child = spawn("npx", ["tsx", "devstack/cli.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.trim() });
    });
  });
}

/**
 * Starts a sandbox in `dir` (ports from DEVSTACK_BASE_PORT and the other DEVSTACK_* settings).
 * Under the power-loss shim unless DEVSTACK_POWER_LOSS_AOF says otherwise, so data-integrity
 * measures the guide's 1 s RPO (a machine crash) rather than only a process crash.
 */
export async function startSandbox(root: string, dir: string): Promise<{ ok: true; state: StackState } | { ok: false; reason: string }> {
  const { code, output } = await stackCli(root, ["up", "--dir", dir, ...(process.env.DEVSTACK_POWER_LOSS_AOF ? [] : ["--power-loss-aof"])], UP_TIMEOUT_MS);
  const state = runningSandbox(dir);
  if (code === 0 && state) return { ok: true, state };
  return {
    ok: false,
    reason: `the sandbox did not start (npx tsx devstack/cli.ts up, exit ${code ?? "killed"}): ${output.split("\n").slice(-12).join("\n") || "no output"}`,
  };
}

/** Stops the sandbox in `dir` and everything it started. */
export async function stopSandbox(root: string, dir: string): Promise<string> {
  const { code, output } = await stackCli(root, ["down", "--dir", dir], DOWN_TIMEOUT_MS);
  return code === 0 ? output : `stopping the sandbox failed (exit ${code}): ${output}`;
}

export interface ConsoleProbe {
  up: boolean;
  /** The console watches this very sandbox (same node ports) and allows chaos on it. */
  onSandbox: boolean;
  why: string;
}

/** Asks the console at `url` what it watches, and compares with the sandbox's own nodes. */
export async function probeConsole(url: string, sandbox: StackState): Promise<ConsoleProbe> {
  let snapshot: { deployment?: { source?: string; chaosRefusal?: string | null }; redis?: { nodes?: { addr: string }[] } };
  try {
    const health = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
    if (!health.ok) return { up: false, onSandbox: false, why: `/api/health answered ${health.status}` };
    snapshot = await (await fetch(`${url}/api/snapshot`, { signal: AbortSignal.timeout(5000) })).json();
  } catch {
    return { up: false, onSandbox: false, why: `no console answers at ${url}` };
  }
  const ports = (snapshot.redis?.nodes ?? []).map((n) => Number(n.addr.split(":").pop())).sort();
  const ours = sandbox.nodes.map((n) => n.port).sort();
  if (snapshot.deployment?.source !== "devstack") return { up: true, onSandbox: false, why: "it watches a Redis that is not a sandbox" };
  if (ports.join() !== ours.join())
    return { up: true, onSandbox: false, why: `it watches nodes on ports ${ports.join(", ") || "(none yet)"}, this sandbox's are ${ours.join(", ")}` };
  if (snapshot.deployment.chaosRefusal) return { up: true, onSandbox: false, why: snapshot.deployment.chaosRefusal };
  return { up: true, onSandbox: true, why: "it watches this sandbox" };
}
