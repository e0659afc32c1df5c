/** The devstack control API, for the bench: every call bounded, errors carry no secret. */
import type { StackState } from "../devstack/state";

export type Control = (method: string, route: string, body?: unknown, timeoutMs?: number) => Promise<any>;

/** A caller for this stack's control API (bearer token from the state file, never printed). */
export function controlClient(state: StackState): Control {
  if (!state.control) throw new Error("this stack has no control API");
  const base = state.control.url;
  return async (method, route, body, timeoutMs = 100_000) => {
    const res = await fetch(base + route, {
      method,
      headers: { authorization: `Bearer ${state.controlToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${route} → ${res.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
}

/** The node Redis itself calls master now (from the control API's status). */
export async function masterNode(control: Control): Promise<{ name: string; port: number }> {
  const status = (await control("GET", "/status", undefined, 10_000)) as { nodes: { name: string; role: string; port: number }[] };
  const m = status.nodes.find((n) => n.role === "master");
  if (!m) throw new Error(`no master among ${status.nodes.map((n) => `${n.name}=${n.role}`).join(", ")}`);
  return { name: m.name, port: m.port };
}
