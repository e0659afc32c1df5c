import "server-only";
/** PostgreSQL through a small `pg` pool: several replicas share one database. */
import pg from "pg";
import { QUERY_TIMEOUT_MS, statementName, withDeadline, type SqlEngine, type SqlParam, type SqlRunner } from "./sql";

const CONNECT_TIMEOUT_MS = 5000;

/** Opens a pool on `url`; nothing is connected until the first query. */
export function openPostgres(url: string, timeoutMs = QUERY_TIMEOUT_MS): SqlEngine {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    // Connecting gets its own bound: a short statement timeout must not fail a slow TLS handshake.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // The server gives up on a statement, and the client on an answer, after the same bound.
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 500,
    idleTimeoutMillis: 30_000,
    application_name: "redis-resilience-console",
  });
  // A dropped idle connection (PostgreSQL restarted) must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const run = (client: pg.Pool | pg.PoolClient): SqlRunner => ({
    async query<R extends object>(text: string, params: SqlParam[] = []) {
      const res = await withDeadline(client.query(text, params), CONNECT_TIMEOUT_MS + timeoutMs + 1000, `PostgreSQL (${statementName(text)})`);
      return res.rows as R[];
    },
    async exec(text: string) {
      // No parameters: pg sends it with the simple protocol, which takes several statements.
      await withDeadline(client.query(text), CONNECT_TIMEOUT_MS + timeoutMs + 1000, `PostgreSQL (${statementName(text)})`);
    },
  });
  return {
    kind: "postgres",
    query: (text, params) => run(pool).query(text, params),
    exec: (text) => run(pool).exec(text),
    async transaction(fn) {
      const client = await withDeadline(pool.connect(), CONNECT_TIMEOUT_MS + 1000, "PostgreSQL (connect)");
      let broken = false;
      try {
        await run(client).query("begin");
        const out = await fn(run(client));
        await run(client).query("commit");
        return out;
      } catch (err) {
        await run(client)
          .query("rollback")
          .catch(() => (broken = true));
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
