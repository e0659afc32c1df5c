/**
 * The rules that turn what a chaos run observed into a verdict, once for every target (the two
 * sandboxes and the opted-in dev stacks): the share of a hold's samples that must show the
 * contract, the grace the layers get to react, the guide's recovery claim, and the phrases a
 * check's expectation uses. Pure and client-safe; the scenarios only say what a sample is.
 */
import { FAILURE_CONTRACT, type LayerId, type LayerStatus } from "./failure-contract";

/** The share of a hold's samples (snapshots or tenant calls) that must show the contract's behaviour: the first reactions may still be in flight. */
export const OUTAGE_AGREEMENT_SHARE = 0.8;

/** The guide's "recovery is automatic within 2-3 seconds", judged at its upper bound. */
export const RECOVERY_CLAIM_SECONDS = 3;

/** How long the layers get to react to a fault before its hold is judged (20 s on a sandbox that waits for the reaction, 5 s on a dev stack that only samples). */
export const REACTION_GRACE_SECONDS = { waited: 20, sampled: 5 } as const;

export interface Agreement {
  agreed: number;
  samples: number;
  /** null when there was no sample: the claim was not exercised, never a pass. */
  held: boolean | null;
}

/** Counts the samples that showed the contract and judges the share against OUTAGE_AGREEMENT_SHARE. */
export function agreement(byContract: readonly boolean[]): Agreement {
  const agreed = byContract.filter(Boolean).length;
  const samples = byContract.length;
  return { agreed, samples, held: samples === 0 ? null : agreed / samples >= OUTAGE_AGREEMENT_SHARE };
}

/**
 * Under a partial fault (Redis refusing only new connections) a layer keeps its contract when it
 * is served (ok) or fails the way the contract says it does without Redis; anything else breaks it.
 */
export function keepsContractUnderPartialFault(id: LayerId, status: LayerStatus): boolean {
  return status === "ok" || status === FAILURE_CONTRACT[id].statusDuringOutage;
}

/** "7/8 samples by contract": how a check's observation counts them. */
export function agreementLine(a: Agreement, what = "samples"): string {
  return `${a.agreed}/${a.samples} ${what} by contract`;
}

/** The recovery claim: ok again within RECOVERY_CLAIM_SECONDS; a layer that never recovered refutes it. */
export function recoveryHeld(seconds: number | null): boolean {
  return seconds !== null && seconds <= RECOVERY_CLAIM_SECONDS;
}

/** What the contract says a layer reports during an outage, as a check's expectation: "L1 degraded: 200 + X-RateLimit-Status: degraded". */
export function outageExpectation(id: LayerId): string {
  return `${id} ${FAILURE_CONTRACT[id].statusDuringOutage}: ${FAILURE_CONTRACT[id].outageBehaviour}`;
}

/** Served with Redis, per layer, as a tenant's call sees it. */
export const NORMAL_PHRASE: Record<LayerId, string> = {
  L1: "200 with X-RateLimit-Status: ok",
  L2: "200 with the budget enforced",
  L3: "the session read back (200)",
  CP: "the tenant's record (200)",
};

/** The contract's behaviour without Redis, per layer, as a tenant's call sees it. */
export const CONTRACT_PHRASE: Record<LayerId, string> = {
  L1: "fails open (200 + X-RateLimit-Status: degraded)",
  L2: "degrades (200, budget skipped)",
  L3: "fails hard (session reads 500/503)",
  CP: "fails the portal's calls (5xx)",
};
