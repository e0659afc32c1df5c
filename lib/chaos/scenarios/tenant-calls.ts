import "server-only";
/**
 * Calls a scenario makes as a tenant would, straight to a layer's own API: create and read L3
 * sessions, ask L2 for a completion. Each call has a timeout; a few run at once.
 */
import { fetchWithin } from "../../http/fetch-within";

const CALL_TIMEOUT_MS = 5000;
const CONCURRENCY = 8;

/** Statuses whose answer has no body (a Response made with one throws). */
const NO_BODY = new Set([101, 204, 205, 304]);

/** The answer with its body already read (within the call's deadline), for the caller to parse. */
async function call(url: string, init: Omit<RequestInit, "signal"> = {}): Promise<Response> {
  return fetchWithin(url, { ...init, cache: "no-store" }, CALL_TIMEOUT_MS, async (r) =>
    NO_BODY.has(r.status) ? r : new Response(await r.arrayBuffer(), { status: r.status, headers: r.headers }),
  );
}

/** Maps `items` through `fn`, at most CONCURRENCY at a time, keeping the order. */
export async function inPool<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

/** POST /sessions on L3; the new session's id. */
export async function createSession(l3: string, tenant: string, agent: string): Promise<string> {
  const res = await call(`${l3}/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tenant, agent }) });
  const body = (await res.json().catch(() => null)) as { id?: string; error?: string } | null;
  if (res.status !== 201 || !body?.id) throw new Error(`L3 POST /sessions answered ${res.status}${body?.error ? `: ${body.error}` : ""}`);
  return body.id;
}

/** GET /sessions/:id on L3: "present" (200), "lost" (404: evicted or expired) or the failure. */
export async function sessionFate(l3: string, id: string): Promise<"present" | "lost" | string> {
  try {
    const res = await call(`${l3}/sessions/${encodeURIComponent(id)}`);
    await res.arrayBuffer();
    return res.status === 200 ? "present" : res.status === 404 ? "lost" : `HTTP ${res.status}`;
  } catch (err) {
    return (err as Error).name === "TimeoutError" ? "timeout" : "error";
  }
}

/** POST /v1/completions on L2: the cache outcome from X-Cache ("hit", "miss", "bypass"), or the failure. */
export async function completionCache(l2: string, tenant: string, prompt: string): Promise<string> {
  try {
    const res = await call(`${l2}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant, prompt, maxTokens: 8 }),
    });
    const body = (await res.json().catch(() => null)) as { cached?: boolean } | null;
    if (res.status !== 200) return `HTTP ${res.status}`;
    return res.headers.get("x-cache") ?? (body?.cached ? "hit" : "miss");
  } catch (err) {
    return (err as Error).name === "TimeoutError" ? "timeout" : "error";
  }
}
