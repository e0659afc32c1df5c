import "server-only";
/**
 * The devstack control API, as the chaos runner calls it. URL and bearer token come from the
 * devstack's state file and stay on the server. The console itself never kills or reconfigures:
 * every fault goes through this API, which acts only on processes the devstack spawned.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const Control = z.object({ controlToken: z.string(), control: z.object({ url: z.string() }).nullable() });

export class ControlError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

export class DevstackControl {
  constructor(private readonly dir: string) {}

  private target(): { url: string; token: string } {
    let parsed;
    try {
      parsed = Control.parse(JSON.parse(fs.readFileSync(path.join(this.dir, "state.json"), "utf8")));
    } catch {
      throw new ControlError("the sandbox is not running (no devstack state file)", null);
    }
    if (!parsed.control) throw new ControlError("the sandbox has no control API", null);
    return { url: parsed.control.url, token: parsed.controlToken };
  }

  /** Calls a control route; throws ControlError with the API's own message on 4xx/5xx. */
  async call<T = unknown>(method: "GET" | "POST" | "DELETE", route: string, body?: unknown, timeoutMs = 15_000): Promise<T> {
    const { url, token } = this.target();
    let res: Response;
    try {
      res = await fetch(url + route, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        cache: "no-store",
      });
    } catch (err) {
      const e = err as Error;
      throw new ControlError(e.name === "TimeoutError" ? `control API ${method} ${route} gave no answer within ${timeoutMs} ms` : `control API unreachable: ${e.message}`, null);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (!res.ok) throw new ControlError(`control API ${method} ${route} → ${res.status}: ${(json as { error?: string } | null)?.error ?? text.slice(0, 200)}`, res.status);
    return json as T;
  }

  /** Undoes every fault and waits until the topology is healthy again. */
  reset(): Promise<unknown> {
    return this.call("POST", "/reset", undefined, 120_000);
  }
}
