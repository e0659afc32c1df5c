/** The built console as a real server (`scripts/serve.mjs`, as `npm start`), and what it costs: RSS and CPU of its process tree. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CONSOLE_DATA_DIR, CONSOLE_PORT, CONSOLE_URL, DIST_DIR, ROOT, STACK_SETTINGS } from "./env";
import { sleep } from "./stats";

const CLK_TCK = 100;

export class ConsoleProcess {
  private constructor(
    private readonly child: ChildProcess,
    private output: string,
  ) {}

  /** Starts the console server on the bench port against the bench devstack; resolves once /api/health answers. */
  static async start(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ConsoleProcess> {
    fs.rmSync(path.join(ROOT, CONSOLE_DATA_DIR), { recursive: true, force: true });
    // BENCH_CPU_PROF=<dir>: the console writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
    const child = spawn(process.execPath, [...profile, path.join(ROOT, "scripts/serve.mjs"), "-H", "127.0.0.1", "-p", String(CONSOLE_PORT)], {
      cwd: ROOT,
      // Its own process group, so stop() reaches anything it spawned.
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_DIST_DIR: DIST_DIR,
        DEVSTACK_DIR: STACK_SETTINGS.dir,
        CONSOLE_DATA_DIR,
        NEXT_TELEMETRY_DISABLED: "1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const c = new ConsoleProcess(child, "");
    child.stdout!.on("data", (d) => (c.output = (c.output + d).slice(-20_000)));
    child.stderr!.on("data", (d) => (c.output = (c.output + d).slice(-20_000)));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`console exited (${child.exitCode}): ${c.output.slice(-1500)}`);
      const ok = await fetch(`${CONSOLE_URL}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return c;
      await sleep(200);
    }
    await c.stop();
    throw new Error(`console did not answer /api/health within ${timeoutMs / 1000} s: ${c.tail()}`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The server's process tree: the `next` launcher and whatever it spawned. */
  pids(): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        /* exited meanwhile */
      }
    }
    const out: number[] = [];
    const walk = (pid: number) => {
      out.push(pid);
      for (const c of children.get(pid) ?? []) walk(c);
    };
    walk(this.pid);
    return out;
  }

  /** Resident memory of the whole tree, MB. */
  rssMb(): number {
    let kb = 0;
    for (const pid of this.pids()) {
      try {
        kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      } catch {
        /* exited */
      }
    }
    return kb / 1024;
  }

  /** CPU seconds (user + system) the tree has used so far. */
  cpuSeconds(): number {
    let ticks = 0;
    for (const pid of this.pids()) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15 of stat)
      } catch {
        /* exited */
      }
    }
    return ticks / CLK_TCK;
  }

  /** The last lines it printed, for a failure message. */
  tail(): string {
    return this.output.slice(-1500);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r));
      try {
        process.kill(-this.pid, "SIGTERM");
      } catch {
        this.child.kill("SIGTERM");
      }
      const timer = setTimeout(
        () => {
          try {
            process.kill(-this.pid, "SIGKILL");
          } catch {
            /* gone */
          }
        },
        process.env.BENCH_CPU_PROF ? 60_000 : 5000,
      ); // a CPU profile takes a while to write at exit
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(path.join(ROOT, CONSOLE_DATA_DIR), { recursive: true, force: true });
  }
}
