/**
 * How a caller reaches the sandbox control API: where it is and with which bearer token (from
 * the state file), one bounded HTTP exchange, and errors that say what happened without ever
 * carrying the token.
 */
import { readStackState, type StackState } from "./devstack-state";

export type ControlMethod = "GET" | "POST" | "DELETE";

/** Where the control API listens and the token it wants. Secret: never print it. */
export interface ControlTarget {
  url: string;
  token: string;
}

/** A failed control call: `status` is the API's HTTP status, null when no answer came. */
export class ControlError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

/** A raw answer: any status, the body parsed when it is JSON (else the text). */
// Untyped callers (the raw `call`) get the JSON as it came; the typed client's methods narrow it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ControlAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ExchangeOptions {
  timeoutMs: number;
  /** Another token, or null for none: for tests of the API's own refusals. */
  token?: string | null;
  fetch?: typeof fetch;
}

/** The control API of a sandbox as its state file describes it. */
export function targetOf(state: Pick<StackState, "control" | "controlToken">): ControlTarget {
  if (!state.control) throw new ControlError("the sandbox has no control API (it is still starting, or it failed to start)", null);
  return { url: state.control.url, token: state.controlToken };
}

/** The control API of the sandbox in `dir`, read now: a restarted sandbox has a new token. */
export function targetInDir(dir: string): ControlTarget {
  const state = readStackState(dir);
  if (!state) throw new ControlError("the sandbox is not running (no devstack state file)", null);
  return targetOf(state);
}

/** Removes the token from any text that may leave the process (the API redacts too; this is the client's own guard). */
export function withoutToken(text: string, token: string): string {
  return token.length >= 8 ? text.split(token).join("[redacted]") : text;
}

/** One request, bounded by `timeoutMs`; throws ControlError only when no answer came. */
export async function exchange(target: ControlTarget, method: string, route: string, body: unknown, opts: ExchangeOptions): Promise<ControlAnswer> {
  const token = opts.token === undefined ? target.token : opts.token;
  let res: Response;
  let text: string;
  try {
    res = await (opts.fetch ?? fetch)(target.url + route, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      // A string goes as it is, so a test can send what no client would.
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
      cache: "no-store",
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
    const why = timedOut ? `gave no answer within ${opts.timeoutMs} ms` : `is unreachable: ${e.message}`;
    throw new ControlError(withoutToken(`control API ${method} ${route} ${why}`, target.token), null);
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** The API's own words for a refusal: its `{error}` or the start of the text. */
export function refusal(method: string, route: string, answer: ControlAnswer, token: string): ControlError {
  const said = (answer.body as { error?: unknown } | null)?.error;
  const message = `control API ${method} ${route} → ${answer.status}: ${typeof said === "string" ? said : answer.text.slice(0, 200)}`;
  return new ControlError(withoutToken(message, token), answer.status);
}
