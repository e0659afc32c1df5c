import { describe, expect, it } from "vitest";
import { dataLoss, describeLoss } from "./rpo";
import type { IntegrityReport } from "./workloads";

const report = (verification: IntegrityReport["verification"]): IntegrityReport => ({
  run: "r1",
  startedAt: null,
  stoppedAt: null,
  attempted: 500,
  acknowledged: 480,
  failed: 20,
  lastError: null,
  master: "127.0.0.1:1",
  verification,
});
const missing = (count: number, window: { from: string; to: string } | null) => ({
  checkedAt: "",
  checked: 480,
  missing: { count, firstSeq: null, lastSeq: null, window, sample: [] },
});

describe("dataLoss", () => {
  it("reports no loss as a zero window", () => {
    const loss = dataLoss(report(missing(0, null)));
    expect(loss).toEqual({ verified: true, acknowledged: 480, lost: 0, windowMs: 0, from: null, to: null });
    expect(describeLoss(loss)).toBe("none of 480 acknowledged writes lost");
  });
  it("measures the window over which the lost writes had been acknowledged", () => {
    const loss = dataLoss(report(missing(47, { from: "2026-11-26T10:00:00.100Z", to: "2026-11-26T10:00:01.050Z" })));
    expect(loss).toMatchObject({ verified: true, lost: 47, windowMs: 950 });
    expect(describeLoss(loss)).toContain("47 of 480 acknowledged writes lost, acknowledged over 950 ms");
  });
  it("says when the read-back failed", () => {
    const loss = dataLoss(report({ checkedAt: "", error: "read-back failed: connection refused" }));
    expect(loss.verified).toBe(false);
    expect(describeLoss(loss)).toContain("connection refused");
    expect(dataLoss(report(null)).verified).toBe(false);
  });
});
