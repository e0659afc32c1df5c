import { describe, expect, it } from "vitest";
import { scorecard } from "./scorecard";
import type { ChaosRun } from "./types";

const run = (checks: ChaosRun["checks"]): ChaosRun => ({
  id: "r1",
  scenario: "failover",
  params: { addressing: "pinned" },
  state: "passed",
  startedAt: "2026-01-01T00:00:00Z",
  endedAt: "2026-01-01T00:01:00Z",
  origin: "cli",
  steps: [],
  checks,
  metrics: {},
  postflight: null,
});

describe("the split recovery claims", () => {
  it("a pinned failover's refutation lands on 'clients follow a failover', not on the guide's restart claim", () => {
    const card = scorecard([
      run([
        {
          claim: "failover-pinned-clients",
          layer: "L3",
          expect: "ok within 10 s",
          observed: "never ok; Redis errors: READONLY×40",
          verdict: "refuted",
          ok: false,
        },
      ]),
    ]);
    const pinned = card.find((e) => e.claim === "failover-pinned-clients")!;
    expect(pinned).toMatchObject({ verdict: "refuted", observed: expect.stringContaining("READONLY") });
    expect(pinned.note).toMatch(/documented setup/);
    expect(card.find((e) => e.claim === "recovery-2-3s")).toMatchObject({
      verdict: "untested",
      note: expect.stringMatching(/platform's documented setup gets/),
    });
    expect(card.find((e) => e.claim === "failover-automatic")!.note).toMatch(/addressing follow/);
  });
});
