/** The auth answers every guard shares. */
import { json } from "../http/responses";

export function tooManyAttempts(retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return json({ error: `too many failed credentials: try again in ${seconds} s` }, 429, { "Retry-After": String(seconds) });
}
