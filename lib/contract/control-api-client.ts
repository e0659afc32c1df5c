/**
 * What both sandboxes' typed control clients share (control-client.ts for the Sentinel sandbox,
 * cluster-control-client.ts for the Cluster sandbox): where the API is, asked at every call; one
 * bounded exchange; refusals in the API's own words; answers parsed with the contract's schemas.
 * The bearer token never appears in an error, a log line or the object's printout.
 */
import type { z } from "zod";
import { exchange, refusal, withoutToken, ControlError, type ControlAnswer, type ControlMethod, type ControlTarget } from "./control-transport";

/** Most routes answer at once; this bounds them. */
export const CONTROL_TIMEOUT_MS = 15_000;

export interface ControlClientOptions {
  /** The default bound of a call (CONTROL_TIMEOUT_MS). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export abstract class ControlApiClient {
  // Private fields: a printed or serialized client shows neither the token nor where it came from.
  readonly #target: () => ControlTarget;
  readonly #options: ControlClientOptions;
  /** How errors name the API ("control API", "cluster control API"). */
  protected abstract readonly apiName: string;

  /** `target` may be a function: it is asked at every call, so a restarted sandbox is followed. */
  constructor(target: ControlTarget | (() => ControlTarget), options: ControlClientOptions = {}) {
    this.#target = typeof target === "function" ? target : () => target;
    this.#options = options;
  }

  /** One request with any status as the answer (tests of the API's refusals); throws only when no answer came. */
  request(method: string, route: string, body?: unknown, opts: { timeoutMs?: number; token?: string | null } = {}): Promise<ControlAnswer> {
    return exchange(this.#target(), method, route, body, {
      fetch: this.#options.fetch,
      token: opts.token,
      timeoutMs: opts.timeoutMs ?? this.#options.timeoutMs ?? CONTROL_TIMEOUT_MS,
    });
  }

  /** Calls a route; resolves with its JSON, throws ControlError with the API's own message on 4xx/5xx. */
  async call<T = unknown>(method: ControlMethod, route: string, body?: unknown, timeoutMs = this.#options.timeoutMs ?? CONTROL_TIMEOUT_MS): Promise<T> {
    const target = this.#target();
    const answer = await exchange(target, method, route, body, { fetch: this.#options.fetch, timeoutMs });
    if (answer.status < 200 || answer.status >= 300) throw refusal(method, route, answer, target.token);
    return answer.body as T;
  }

  /** Calls a route and parses its answer; a sandbox that answers another shape fails naming the field. */
  protected async parsed<S extends z.ZodType>(schema: S, method: ControlMethod, route: string, body?: unknown, timeoutMs?: number): Promise<z.infer<S>> {
    const result = schema.safeParse(await this.call(method, route, body, timeoutMs));
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new ControlError(
      withoutToken(
        `${this.apiName} ${method} ${route} answered an unexpected shape: ${issue?.path.join(".") || "body"} ${issue?.message}`,
        this.#target().token,
      ),
      null,
    );
  }
}
