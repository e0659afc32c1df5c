/** The devstack control API, for the bench: the contract's typed client, every call bounded, errors without secrets. */
import { ControlClient, type ControlMethod } from "../lib/contract/control-client";
import type { StackState } from "../lib/contract/devstack-state";

/** A bench-style caller (`control("POST", "/reset")`) that also carries the typed client. */
export type Control = ((method: ControlMethod, route: string, body?: unknown, timeoutMs?: number) => Promise<any>) & { client: ControlClient };

/** A caller for this stack's control API (bearer token from the state file, never printed). */
export function controlClient(state: StackState): Control {
  const client = ControlClient.forState(state);
  // The bench's own bound: a reset after a master kill can take most of the devstack's 80 s.
  const call = (method: ControlMethod, route: string, body?: unknown, timeoutMs = 100_000) => client.call<any>(method, route, body, timeoutMs);
  return Object.assign(call, { client });
}

/** The node Redis itself calls master now (from the control API's status). */
export async function masterNode(control: Control): Promise<{ name: string; port: number }> {
  const status = await control.client.status();
  const m = status.nodes.find((n) => n.role === "master");
  if (!m) throw new Error(`no master among ${status.nodes.map((n) => `${n.name}=${n.role}`).join(", ")}`);
  return { name: m.name, port: m.port };
}
