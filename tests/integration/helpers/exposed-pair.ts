/**
 * Two consoles sharing one PostgreSQL, as replicas do, reachable from elsewhere
 * (CONSOLE_ALLOWED_HOSTS) so every read needs a credential, watching two external deployments
 * ("sandbox", "staging-eu") on ports nothing listens on: the set-up of the access tests that need
 * no Redis, only who may read what on which replica.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startConsole, type RunningConsole } from "./console";
import { startPostgres, type TestPostgres } from "./postgres";

export const PAIR_DEPLOYMENTS = ["sandbox", "staging-eu"] as const;

export interface ExposedPair {
  first: RunningConsole;
  second: RunningConsole;
  pg: TestPostgres;
  stop(): Promise<void>;
}

/** `basePort`: PostgreSQL's port; the deployments' unused Redis ports are basePort+10 and +11. */
export async function startExposedPair(opts: { name: string; basePort: number; consolePorts: [number, number]; operatorToken: string }): Promise<ExposedPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rrc-${opts.name}-`));
  const pg = startPostgres(opts.basePort, opts.name);
  const started: RunningConsole[] = [];
  const stop = async () => {
    for (const c of started) await c.stop();
    pg.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const config = path.join(dir, "config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        deployments: PAIR_DEPLOYMENTS.map((name, i) => ({
          deployment: name,
          source: "external",
          redis: { nodes: [{ id: `${name}-1`, host: "127.0.0.1", port: opts.basePort + 10 + i }] },
        })),
      }),
    );
    const env = { OPERATOR_TOKEN: opts.operatorToken, CONSOLE_CONFIG: config, DATABASE_URL: pg.url, CONSOLE_ALLOWED_HOSTS: "console.internal" };
    for (const port of opts.consolePorts) started.push(await startConsole({ port, devstackDir: path.join(dir, "none"), env }));
  } catch (err) {
    await stop();
    throw err;
  }
  return { first: started[0], second: started[1], pg, stop };
}
