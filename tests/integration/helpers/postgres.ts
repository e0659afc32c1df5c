/**
 * A private PostgreSQL 15 (Debian's) for one test file: its own cluster in a temp dir, its own
 * loopback port. initdb and pg_ctl refuse root, so they run as the postgres user.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const BIN = "/usr/lib/postgresql/15/bin";

export interface TestPostgres {
  url: string;
  port: number;
  dir: string;
  /** Starts it again after stop(); returns once it accepts connections. */
  start(): void;
  /** Stops it at once (immediate shutdown, as a crash would). */
  stop(): void;
  /** Stops it and removes its dir. */
  destroy(): void;
}

function asPostgres(args: string[], timeoutMs = 60_000): string {
  const root = process.getuid?.() === 0;
  const [cmd, ...rest] = root ? ["runuser", "-u", "postgres", "--", ...args] : args;
  return execFileSync(cmd, rest, { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] });
}

/** initdb + pg_ctl start on 127.0.0.1:`port`; the database `rrc` is made. */
export function startPostgres(port: number, name: string): TestPostgres {
  const dir = path.join(os.tmpdir(), `rrc-pg-${name}-${port}`);
  const data = path.join(dir, "data");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  asPostgres([`${BIN}/initdb`, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const start = () =>
    void asPostgres([
      `${BIN}/pg_ctl`,
      "-D",
      data,
      "-l",
      path.join(dir, "log"),
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
      "start",
    ]);
  const stop = () => void asPostgres([`${BIN}/pg_ctl`, "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]);
  start();
  asPostgres([`${BIN}/createdb`, "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "rrc"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/rrc`,
    port,
    dir,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        /* already stopped */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
