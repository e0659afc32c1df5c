/**
 * One redis-server or redis-sentinel process the devstack owns: spawn, kill, freeze, thaw and
 * restart with the same config and data dir (so the AOF is replayed on restart).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { ManagedNodeState } from "../state";
import { isStopped, procState, waitForProcState } from "./proc-state";

/** How long a freeze or thaw waits for the kernel to act on the signal; it is milliseconds when idle. */
const SIGNAL_SETTLE_MS = 5000;

export class ManagedProcess {
  private child: ChildProcess | null = null;
  frozen = false;
  /** Called whenever the pid or frozen flag changes, so the state file stays true. */
  onChange: () => void = () => {};

  constructor(
    readonly name: string,
    readonly kind: "redis" | "sentinel",
    readonly port: number,
    readonly dataDir: string,
    private readonly binary: string,
    private readonly confPath: string,
    /** Extra environment (the power-loss shim's LD_PRELOAD). */
    private readonly env: Record<string, string> = {},
  ) {}

  get pid(): number | null {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? (this.child.pid ?? null) : null;
  }

  get running(): boolean {
    return this.pid !== null;
  }

  start(): void {
    if (this.running) return;
    const log = fs.openSync(path.join(this.dataDir, `${this.kind}.log`), "a");
    // cwd inside the stack dir marks the process as ours (see ownership.ts).
    const child = spawn(this.binary, [this.confPath], { cwd: this.dataDir, stdio: ["ignore", log, log], env: { ...process.env, ...this.env } });
    fs.closeSync(log);
    child.on("exit", () => {
      if (this.child === child) {
        this.frozen = false;
        this.onChange();
      }
    });
    child.on("error", () => {
      /* surfaced as "not running"; the supervisor's health check reports it */
    });
    this.child = child;
    this.frozen = false;
    this.onChange();
  }

  /** SIGKILL, like a crashed host: no AOF flush, no goodbye to replicas. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGCONT");
    child.kill("SIGKILL");
    await exited;
  }

  /** Graceful stop (SIGTERM), falling back to SIGKILL after the timeout. */
  async stop(timeoutMs = 5000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGCONT");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** SIGSTOP, answered once the kernel shows the process stopped (see proc-state.ts). */
  async freeze(): Promise<void> {
    const pid = this.pid;
    if (pid === null) throw new Error(`${this.name} is not running`);
    this.child!.kill("SIGSTOP");
    this.frozen = true;
    this.onChange();
    if (!(await waitForProcState(pid, (s) => isStopped(s) || s === null, SIGNAL_SETTLE_MS)))
      throw new Error(`${this.name} (pid ${pid}) was sent SIGSTOP but is still ${procState(pid)} after ${SIGNAL_SETTLE_MS} ms`);
  }

  /** SIGCONT, answered once the kernel no longer shows the process stopped. */
  async thaw(): Promise<void> {
    const pid = this.pid;
    if (pid !== null) this.child!.kill("SIGCONT");
    this.frozen = false;
    this.onChange();
    if (pid !== null) await waitForProcState(pid, (s) => !isStopped(s), SIGNAL_SETTLE_MS);
  }

  async restart(): Promise<void> {
    await this.kill();
    this.start();
  }

  toState(): ManagedNodeState {
    return { name: this.name, kind: this.kind, port: this.port, pid: this.pid, frozen: this.frozen || undefined };
  }
}
