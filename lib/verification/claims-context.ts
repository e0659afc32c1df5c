import "server-only";
/**
 * A deployment's runs, the claims its target speaks of, and its claims policy (expiry, weights):
 * what the scorecard, the score and their metrics are computed from, in one place so the page,
 * the API and /api/metrics agree.
 */
import { getChaosRunner } from "@/lib/chaos/instance";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { CLAIMS, type ChaosRun, type ClaimId } from "@/lib/chaos/types";
import { loadDeployments } from "@/lib/config/load";
import type { Deployment } from "@/lib/deployments/registry";
import { sharedRuns } from "@/lib/store/shared-lists";
import type { ClaimsPolicy } from "./claims-standing";

export interface ClaimsContext {
  runs: ChaosRun[];
  claims: ClaimId[];
  policy: ClaimsPolicy;
}

const DEFAULT_POLICY: ClaimsPolicy = { expireAfterDays: 7, weights: {} };
/** The config is read again at most this often (it is a file read and a parse). */
const POLICY_TTL_MS = 30_000;
let policies: { at: number; byDeployment: Map<string, ClaimsPolicy> } | null = null;

export function claimsPolicy(deployment: string): ClaimsPolicy {
  if (!policies || Date.now() - policies.at > POLICY_TTL_MS) {
    try {
      policies = { at: Date.now(), byDeployment: new Map(loadDeployments().map((c) => [c.deployment, c.claims])) };
    } catch {
      // A config that stopped parsing keeps the last policy read (the console started with a good one).
      policies = { at: Date.now(), byDeployment: policies?.byDeployment ?? new Map() };
    }
  }
  return policies.byDeployment.get(deployment) ?? DEFAULT_POLICY;
}

/** Null for a deployment chaos does not act on (nothing is ever measured there). This replica's runs in memory (/api/metrics' synchronous collection). */
export function claimsContext(d: Deployment): ClaimsContext | null {
  const external = externalChaosFor(d);
  if (external) return { runs: external.store.list(), claims: Object.keys(CLAIMS) as ClaimId[], policy: claimsPolicy(d.name) };
  if (!d.chaos) return null;
  const runner = getChaosRunner();
  return { runs: runner.store.list(), claims: runner.claims(), policy: claimsPolicy(d.name) };
}

/** The same from every replica's runs (the store, when shared): what the scorecard, the score and expiry notices use. */
export async function sharedClaimsContext(d: Deployment): Promise<ClaimsContext | null> {
  const ctx = claimsContext(d);
  if (!ctx) return null;
  const external = externalChaosFor(d);
  const { runs } = await sharedRuns(d.name, external ? external.store : getChaosRunner().store);
  return { ...ctx, runs };
}
