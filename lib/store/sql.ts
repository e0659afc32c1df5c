/**
 * The one SQL interface both engines answer (PGlite embedded in the data dir, PostgreSQL through
 * `pg`): PostgreSQL's dialect, `$1` parameters, JSON passed as text and cast to jsonb. Every call
 * has a deadline, so no request or tick piles up behind a store that stopped answering.
 */
import { raceDeadline } from "../deadline";

export type SqlParam = string | number | boolean | null;

export interface SqlRunner {
  /** The rows of one statement. */
  query<R extends object>(text: string, params?: SqlParam[]): Promise<R[]>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlEngine extends SqlRunner {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction on one connection; rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Default bound on one statement (a slow disk, a lock wait, an unreachable server). */
export const QUERY_TIMEOUT_MS = 5000;

export class StoreTimeoutError extends Error {}

/** `p`, or a StoreTimeoutError after `ms`; the timer never keeps the process alive. */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return raceDeadline(p, ms, () => new StoreTimeoutError(`${what} did not answer within ${ms} ms`));
}

/** The first statement's words, for an error that says which query failed without its parameters. */
export function statementName(text: string): string {
  return text.trim().split(/\s+/).slice(0, 4).join(" ");
}
