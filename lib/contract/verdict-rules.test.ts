import { describe, expect, it } from "vitest";
import {
  agreement,
  agreementLine,
  keepsContractUnderPartialFault,
  OUTAGE_AGREEMENT_SHARE,
  outageExpectation,
  recoveryHeld,
  RECOVERY_CLAIM_SECONDS,
} from "./verdict-rules";

describe("verdict rules", () => {
  it("holds the agreement at the share and not below it", () => {
    expect(OUTAGE_AGREEMENT_SHARE).toBe(0.8);
    expect(agreement([true, true, true, true, false])).toEqual({ agreed: 4, samples: 5, held: true });
    expect(agreement([true, true, true, false, false]).held).toBe(false);
    expect(agreement([false]).held).toBe(false);
  });

  it("does not count an empty hold as a pass", () => {
    expect(agreement([])).toEqual({ agreed: 0, samples: 0, held: null });
  });

  it("under a partial fault takes served or failing by contract, and nothing else", () => {
    expect(keepsContractUnderPartialFault("L1", "ok")).toBe(true);
    expect(keepsContractUnderPartialFault("L1", "degraded")).toBe(true);
    expect(keepsContractUnderPartialFault("L1", "unavailable")).toBe(false);
    expect(keepsContractUnderPartialFault("L3", "unavailable")).toBe(true);
    expect(keepsContractUnderPartialFault("L3", "degraded")).toBe(false);
    expect(keepsContractUnderPartialFault("CP", "unknown")).toBe(false);
  });

  it("says the count the way the checks and the tests read it", () => {
    expect(agreementLine(agreement([true, false, true]))).toBe("2/3 samples by contract");
    expect(agreementLine(agreement([true]), "calls")).toBe("1/1 calls by contract");
  });

  it("judges recovery at the claim's upper bound; never recovered refutes it", () => {
    expect(recoveryHeld(RECOVERY_CLAIM_SECONDS)).toBe(true);
    expect(recoveryHeld(RECOVERY_CLAIM_SECONDS + 0.01)).toBe(false);
    expect(recoveryHeld(0)).toBe(true);
    expect(recoveryHeld(null)).toBe(false);
  });

  it("states each layer's outage expectation from the failure contract", () => {
    expect(outageExpectation("L1")).toBe("L1 degraded: 200 + X-RateLimit-Status: degraded");
    expect(outageExpectation("L3")).toMatch(/^L3 unavailable: /);
  });
});
