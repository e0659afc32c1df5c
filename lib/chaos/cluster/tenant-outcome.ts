/**
 * What one tenant's call to a layer came to, read the way the failure contract reads it:
 * `normal` (served with Redis: L1 X-RateLimit-Status ok, L2 budget enforced, an L3 session
 * read, a CP record), `contract` (what the guide promises without Redis: L1 200 degraded, L2
 * budget skipped, L3 and CP 5xx), `lost` (L3 answered but the session is gone), or `other`
 * (anything else: a breach, a timeout). Pure, client-safe.
 */
import type { LayerId } from "../../contract/failure-contract";

export type OutcomeKind = "normal" | "contract" | "lost" | "other";

export interface TenantAnswer {
  status: number | null;
  /** X-RateLimit-Status (L1). */
  rateLimit?: string | null;
  /** The JSON `budget` (L2). */
  budget?: string | null;
  /** X-Cache (L2): "hit", "miss", or "bypass" when the prompt's cache entry could not be read. */
  cache?: string | null;
  /** Why no answer came: "timeout" or "error". */
  error?: string;
}

export interface Outcome {
  kind: OutcomeKind;
  /** "200 degraded", "503", "timeout": how it reads in a check. */
  text: string;
}

export function classify(layer: LayerId, a: TenantAnswer): Outcome {
  if (a.status === null) return { kind: "other", text: a.error ?? "no answer" };
  const s = a.status;
  switch (layer) {
    case "L1":
      if ((s === 200 || s === 429) && a.rateLimit === "ok") return { kind: "normal", text: `${s} ok` };
      if (s === 200 && a.rateLimit === "degraded") return { kind: "contract", text: "200 degraded" };
      return { kind: "other", text: `${s}${a.rateLimit ? ` ${a.rateLimit}` : ""}` };
    case "L2": {
      // The cache's state says whether the prompt's own shard answered (its entry lives where the prompt hashes).
      const cache = a.cache === "bypass" ? ", cache bypassed" : "";
      if ((s === 200 || s === 429) && (a.budget === "enforced" || a.budget === "exceeded")) return { kind: "normal", text: `${s} budget ${a.budget}${cache}` };
      if (s === 200 && a.budget === "skipped") return { kind: "contract", text: `200 budget skipped${cache}` };
      return { kind: "other", text: `${s}${a.budget ? ` budget ${a.budget}` : ""}${cache}` };
    }
    case "L3":
      if (s === 200) return { kind: "normal", text: "200" };
      if (s === 404) return { kind: "lost", text: "404 session gone" };
      if (s === 500 || s === 503) return { kind: "contract", text: String(s) };
      return { kind: "other", text: String(s) };
    case "CP":
      if (s === 200) return { kind: "normal", text: "200" };
      if (s >= 500) return { kind: "contract", text: String(s) };
      return { kind: "other", text: String(s) };
  }
}
