import "server-only";
/**
 * Real requests to each layer, the way a tenant's traffic would hit it. One deadline covers a
 * layer's whole probe, so a hung layer costs at most `timeoutMs` and never delays the others.
 */
import type { LayerId } from "../contract/failure-contract";
import type { LayerObservation, ProbeRequest } from "../snapshot/types";

const PROBE_TENANT = "console-probe";
const CONTRACT_HEADERS = ["x-ratelimit-status", "x-ratelimit-remaining", "x-cache"];

class Probe {
  readonly requests: ProbeRequest[] = [];
  health: LayerObservation["health"] = null;
  healthError: string | null = null;
  constructor(
    private readonly base: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Never throws: a failed request is recorded with status null and the reason. */
  async call(name: string, path: string, init: RequestInit = {}): Promise<{ status: number | null; body: unknown }> {
    try {
      const res = await fetch(this.base + path, { ...init, signal: this.signal, cache: "no-store" });
      const text = await res.text();
      const headers: Record<string, string> = {};
      for (const h of CONTRACT_HEADERS) {
        const v = res.headers.get(h);
        if (v !== null) headers[h] = v;
      }
      this.requests.push({ name, status: res.status, headers });
      return { status: res.status, body: safeJson(text) };
    } catch (err) {
      this.requests.push({ name, status: null, error: describeFetchError(err) });
      return { status: null, body: null };
    }
  }

  async checkHealth(): Promise<void> {
    try {
      const res = await fetch(this.base + "/health", { signal: this.signal, cache: "no-store" });
      const body = safeJson(await res.text()) as { status?: unknown } | null;
      this.health = { httpStatus: res.status, status: typeof body?.status === "string" ? body.status : null };
    } catch (err) {
      this.health = { httpStatus: null, status: null };
      this.healthError = describeFetchError(err);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Says why a request got no answer, in words an SRE can act on. */
export function describeFetchError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "no answer before the probe deadline (hung or overloaded)";
  const code = e?.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused (layer down)";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "ENOTFOUND") return "host name does not resolve";
  return e?.message ?? String(err);
}

const PROBES: Record<LayerId, (p: Probe) => Promise<void>> = {
  L1: async (p) => {
    await p.call("GET /", "/", { headers: { "x-tenant-id": PROBE_TENANT } });
  },
  L2: async (p) => {
    await Promise.all([
      p.call("POST /v1/completions", "/v1/completions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ tenant: PROBE_TENANT, prompt: "console probe: are you there?", maxTokens: 8 }),
      }),
      p.checkHealth(),
    ]);
  },
  L3: async (p) => {
    const health = p.checkHealth(); // in parallel; it never throws
    const created = await p.call("POST /sessions", "/sessions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant: PROBE_TENANT, agent: "console-canary", ttlSeconds: 30 }),
    });
    const id = (created.body as { id?: unknown } | null)?.id;
    if (created.status !== null && created.status < 300 && typeof id === "string") {
      await p.call("GET /sessions/:id", `/sessions/${encodeURIComponent(id)}`);
      await p.call("DELETE /sessions/:id", `/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
    }
    await health;
  },
  CP: async (p) => {
    await Promise.all([p.checkHealth(), p.call("GET /tenants/:id", `/tenants/${PROBE_TENANT}`)]);
  },
};

/** Probes one layer with real requests; never throws, never exceeds timeoutMs. */
export async function probeLayer(id: LayerId, baseUrl: string, timeoutMs: number): Promise<LayerObservation> {
  const started = performance.now();
  const probe = new Probe(baseUrl.replace(/\/$/, ""), AbortSignal.timeout(timeoutMs));
  await PROBES[id](probe);
  // Answers that did arrive are evidence too; "unreachable" only when nothing answered.
  const reachable = probe.requests.some((r) => r.status !== null) || probe.health?.httpStatus != null;
  const error = probe.requests.find((r) => r.error)?.error ?? probe.healthError ?? undefined;
  return {
    reachable,
    ...(error ? { error } : {}),
    latencyMs: reachable ? Math.round(performance.now() - started) : null,
    requests: probe.requests,
    health: probe.health,
  };
}
