/**
 * Small clients for the devstack's control API (the contract's client) and layer stand-ins, for
 * integration tests. Every call has a timeout; answers come back as {status, headers, body}.
 */
import type Redis from "ioredis";
import { withRedis } from "../../../devstack/redis-client";
import type { StackState } from "../../../devstack/state";
import { ControlClient, type ControlAnswer } from "../../../lib/contract/control-client";
import { stateAuth } from "../../../lib/contract/devstack-state";

export type Answer<T = any> = ControlAnswer<T>;

async function request(url: string, init: RequestInit & { timeoutMs?: number }): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 5000) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Calls the control API with the stack's token (or `token`, null for none); any status is an answer. */
export function controlApi(state: StackState) {
  const client = ControlClient.forState(state);
  return (method: string, path: string, body?: unknown, opts: { token?: string | null; timeoutMs?: number } = {}): Promise<Answer> =>
    client.request(method, path, body, { token: opts.token, timeoutMs: opts.timeoutMs ?? 90_000 });
}

/** Calls a layer stand-in by id. */
export function layerApi(state: StackState) {
  return (id: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const layer = state.layers.find((l) => l.id === id);
    if (!layer) throw new Error(`no layer ${id} in the state file`);
    return request(`${layer.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: 3000,
    });
  };
}

/** The port of the node the sentinels call master now (asked of the first sentinel that answers). */
export async function masterPort(state: StackState): Promise<number> {
  for (const s of state.sentinels) {
    try {
      const addr = (await withRedis({ port: s.port, auth: stateAuth(state).sentinel, timeoutMs: 500 }, (r) =>
        r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", state.masterName),
      )) as string[];
      return Number(addr[1]);
    } catch {
      /* try the next sentinel */
    }
  }
  throw new Error("no sentinel answered");
}

/** Runs fn on a direct connection to the current master. */
export async function onMaster<T>(state: StackState, fn: (r: Redis) => Promise<T>): Promise<T> {
  return withRedis({ port: await masterPort(state), auth: stateAuth(state).devstack, timeoutMs: 2000 }, fn);
}

/** Each layer's /health answer. */
export async function layerHealth(state: StackState): Promise<Record<string, { status: number; body: string | null }>> {
  const layer = layerApi(state);
  const out: Record<string, { status: number; body: string | null }> = {};
  await Promise.all(
    state.layers.map(async (l) => {
      const a = await layer(l.id, "GET", "/health");
      out[l.id] = { status: a.status, body: (a.body as { status?: string })?.status ?? null };
    }),
  );
  return out;
}

/** True once every layer answers 200 {"status":"ok"}. */
export async function allLayersOk(state: StackState): Promise<boolean> {
  const h = await layerHealth(state);
  return Object.values(h).every((x) => x.status === 200 && x.body === "ok");
}
