import "server-only";
/**
 * Calls the layers as the run's tenants would while a fault goes on: L1 with X-Tenant-Id, L2
 * completions that always miss the cache (so the budget is charged), CP's tenant record, and
 * reads of L3 sessions seeded beforehand. Each tenant's call to each layer runs in its own loop
 * (at most one every 500 ms, each call with its own timeout), so a call hanging on a dead shard
 * delays only the next call of the same tenant, never the other shards' samples.
 */
import type { LayerId } from "../../contract/failure-contract";
import { createSession, inPool } from "../scenarios/tenant-calls";
import { sessionsByShard } from "./shard-tenants";
import type { ShardRef } from "./shard-map";
import { classify, type Outcome, type TenantAnswer } from "./tenant-outcome";
import { fetchWithin } from "../../http/fetch-within";

const CALL_TIMEOUT_MS = 3000;
const ROUND_MS = 500;
/** Sessions created until each shard holds this many (ids are random, so they land where they land). */
const SESSIONS_PER_SHARD = 2;
const MAX_SESSIONS = 60;

export type LayerUrls = Record<LayerId, string>;

/** One call a round makes: a layer, for a tenant or session living on `shard`. */
export interface CallSubject {
  layer: LayerId;
  shard: string;
  subject: string;
}

export interface TenantSample extends CallSubject, Outcome {
  /** When the call was sent (epoch ms). */
  at: number;
}

/** L1, L2 and CP for each tenant; L3 for each seeded session. */
export function tenantPlan(tenants: Record<string, string[]>, sessions: Record<string, string[]>): CallSubject[] {
  const byTenant = Object.entries(tenants).flatMap(([shard, ts]) =>
    ts.flatMap((t) => (["L1", "L2", "CP"] as const).map((layer) => ({ layer, shard, subject: t }))),
  );
  const bySession = Object.entries(sessions).flatMap(([shard, ids]) => ids.map((id) => ({ layer: "L3" as const, shard, subject: id })));
  return [...byTenant, ...bySession];
}

/** Creates L3 sessions for the tenants until every shard holds a few; grouped by the shard their keys live on. */
export async function seedSessions(l3: string, shards: ShardRef[], tenants: string[]): Promise<Record<string, string[]>> {
  const ids: string[] = [];
  let grouped = sessionsByShard(shards, ids);
  while (Object.values(grouped).some((g) => g.length < SESSIONS_PER_SHARD) && ids.length < MAX_SESSIONS) {
    ids.push(...(await inPool(tenants, (t) => createSession(l3, t, "cluster-chaos"))));
    grouped = sessionsByShard(shards, ids);
  }
  // A few per shard are enough; more would only slow the rounds.
  return Object.fromEntries(Object.entries(grouped).map(([shard, g]) => [shard, g.slice(0, SESSIONS_PER_SHARD)]));
}

async function send(url: string, init: RequestInit): Promise<{ res: Response; json: Record<string, unknown> | null } | { error: string }> {
  try {
    return await fetchWithin(url, { ...init, cache: "no-store" }, CALL_TIMEOUT_MS, async (res) => ({
      res,
      json: (await res.json().catch(() => null)) as Record<string, unknown> | null,
    }));
  } catch (err) {
    return { error: (err as Error).name === "TimeoutError" ? "timeout" : "error" };
  }
}

async function call(urls: LayerUrls, s: CallSubject, n: number, runId: string): Promise<TenantAnswer> {
  const sent =
    s.layer === "L1"
      ? await send(`${urls.L1}/`, { headers: { "x-tenant-id": s.subject } })
      : s.layer === "L2"
        ? await send(`${urls.L2}/v1/completions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ tenant: s.subject, prompt: `cluster chaos ${runId} ${s.subject} call ${n}`, maxTokens: 8 }),
          })
        : s.layer === "L3"
          ? await send(`${urls.L3}/sessions/${encodeURIComponent(s.subject)}`, {})
          : await send(`${urls.CP}/tenants/${encodeURIComponent(s.subject)}`, {});
  if ("error" in sent) return { status: null, error: sent.error };
  const budget = typeof sent.json?.budget === "string" ? sent.json.budget : null;
  return { status: sent.res.status, rateLimit: sent.res.headers.get("x-ratelimit-status"), budget, cache: sent.res.headers.get("x-cache") };
}

export class TenantTraffic {
  readonly samples: TenantSample[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private calls = 0;

  constructor(
    private readonly urls: LayerUrls,
    private readonly plan: CallSubject[],
    private readonly runId: string,
  ) {}

  private async once(s: CallSubject): Promise<TenantSample> {
    const at = Date.now();
    const sample = { ...s, at, ...classify(s.layer, await call(this.urls, s, this.calls++, this.runId)) };
    this.samples.push(sample);
    return sample;
  }

  /** Every call of the plan once, all at once (the baseline before a fault, a last look after it). */
  round(): Promise<TenantSample[]> {
    return Promise.all(this.plan.map((s) => this.once(s)));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = this.plan.map(async (s) => {
      while (this.running) {
        const started = Date.now();
        await this.once(s);
        const rest = ROUND_MS - (Date.now() - started);
        if (rest > 0 && this.running) await new Promise((r) => setTimeout(r, rest));
      }
    });
  }

  /** Ends the loops after their current calls; every sample so far. */
  async stop(): Promise<TenantSample[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.samples;
  }
}
