/**
 * What both sandboxes' supervisors do the same way: read the settings `up` handed them, log with
 * a timestamp, make secrets, and on SIGTERM/SIGINT or a crash stop their services (newest first),
 * then their processes, then remove the state file, once. Each supervisor keeps only its start.
 */
import crypto from "node:crypto";
import type { StackService } from "../context";

/** The settings `up` passed in `env`; exits 2 with how to start the sandbox when they are missing. */
export function supervisorSettings<S>(name: string, env: string, upCommand: string): S {
  const settings = JSON.parse(process.env[env] ?? "null") as S | null;
  if (!settings) {
    console.error(`${name}: ${env} is missing; start it with \`${upCommand}\``);
    process.exit(2);
  }
  return settings;
}

export function supervisorLog(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

/** A password or token: 48 hex characters. */
export function newSecret(): string {
  return crypto.randomBytes(24).toString("hex");
}

export interface Supervision {
  /** Started services, stopped newest first. */
  services: StackService[];
  /** True once shutdown began: state changes are no longer written. */
  readonly stopping: boolean;
}

/** Runs `start` under the shutdown handlers; a failed start shuts down with exit code 1. */
export function supervise(spec: {
  name: string;
  log(message: string): void;
  /** Stops the sandbox's own processes (after its services). */
  stopProcesses(): Promise<void>;
  removeState(): void;
  start(supervision: Supervision): Promise<void>;
}): Supervision {
  const { name, log } = spec;
  let stopping = false;
  const supervision: Supervision = {
    services: [],
    get stopping() {
      return stopping;
    },
  };
  async function shutdown(code: number): Promise<never> {
    if (!stopping) {
      stopping = true;
      log(`${name}: stopping`);
      for (const s of [...supervision.services].reverse()) await s.stop().catch((e) => log(`stop ${s.name}: ${e}`));
      await spec.stopProcesses();
      spec.removeState();
      log(`${name}: stopped`);
    }
    process.exit(code);
  }
  process.on("SIGTERM", () => void shutdown(0));
  process.on("SIGINT", () => void shutdown(0));
  process.on("uncaughtException", (err) => {
    log(`${name}: uncaught ${err.stack ?? err}`);
    void shutdown(1);
  });
  process.on("unhandledRejection", (err) => log(`${name}: unhandled rejection ${String(err)}`));
  spec.start(supervision).catch((err) => {
    log(`${name}: start failed: ${(err as Error).message}`);
    void shutdown(1);
  });
  return supervision;
}
