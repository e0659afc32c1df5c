/**
 * An outgoing HTTP call whose deadline holds whatever happens to the abort inside `fetch`: undici's
 * request follows the caller's signal through weak references, and a garbage collection at the
 * wrong moment can lose the abort (nodejs/undici#3644, still open for Node 20's undici 6). The
 * call then waits for a server that may never answer. Here the answer and its body are raced
 * against a timer of our own, so the caller always hears by the deadline; the abort still goes out
 * to free the socket when it can.
 */
import { raceDeadline } from "../deadline";

/** The error a call past its deadline rejects with: named "TimeoutError", as `AbortSignal.timeout`'s. */
function timeoutError(timeoutMs: number): Error {
  const err = new Error(`no answer within ${timeoutMs} ms`);
  err.name = "TimeoutError";
  return err;
}

/**
 * `fetch(url, init)`, then `read` of its response, both within `timeoutMs`. `init.signal` (a
 * caller that may go away first) aborts it too; a body `read` leaves unread may stream on after.
 */
export function fetchWithin<T>(url: string, init: RequestInit, timeoutMs: number, read: (res: Response) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signal = init.signal ? AbortSignal.any([controller.signal, init.signal]) : controller.signal;
  const work = fetch(url, { ...init, signal }).then(read);
  // Past the deadline nobody waits for it: a late rejection must not go unhandled.
  work.catch(() => undefined);
  return raceDeadline(work, timeoutMs, () => {
    const err = timeoutError(timeoutMs);
    controller.abort(err);
    return err;
  });
}
