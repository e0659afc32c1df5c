import { describe, expect, it } from "vitest";
import { CLUSTER_SCENARIOS } from "./cluster/scenarios";
import { offeredBy, type CapabilitiesOf } from "./capabilities";
import { isUnavailable } from "./scenario";
import { SCENARIOS } from "./scenarios";
import { connectionExhaustion } from "./scenarios/connection-exhaustion";
import { latency } from "./scenarios/latency";

describe("scenarios written once against capabilities", () => {
  it("a target that lacks a needed capability answers unavailable, naming it and why", () => {
    const lacking: CapabilitiesOf<null> = {
      "exhaust-connections": { lacks: "no route for it" },
      "add-latency": { lacks: "no proxy" },
      "drive-traffic": { lacks: "no workload" },
      "restart-master": { lacks: "no supervisor" },
      "set-addressing": { lacks: "no proxy" },
    };
    expect(offeredBy(connectionExhaustion, lacking)).toEqual({ unavailable: 'this target lacks the "exhaust-connections" capability: no route for it' });
    // The first capability it needs that the target lacks is the one named.
    expect(offeredBy(latency, lacking)).toEqual({ unavailable: 'this target lacks the "add-latency" capability: no proxy' });
  });

  it("a target that offers them runs the scenario under its own info and params", () => {
    const answer = SCENARIOS["connection-exhaustion"];
    expect(isUnavailable(answer)).toBe(false);
    expect(answer.info).toBe(connectionExhaustion.info);
    expect(answer.params.safeParse({ headroom: 500 }).success).toBe(false);
  });

  it("the Cluster sandbox refuses connection-exhaustion, latency and restart-under-load for the capabilities it lacks", () => {
    const restart = CLUSTER_SCENARIOS["restart-under-load"];
    expect(isUnavailable(restart) && restart.unavailable).toMatch(/lacks the "drive-traffic" capability: the cluster sandbox has no traffic workload/);
    const exhaustion = CLUSTER_SCENARIOS["connection-exhaustion"];
    expect(isUnavailable(exhaustion) && exhaustion.unavailable).toMatch(/^this target lacks the "exhaust-connections" capability: the cluster sandbox/);
    const slow = CLUSTER_SCENARIOS.latency;
    expect(isUnavailable(slow) && slow.unavailable).toMatch(/lacks the "add-latency" capability: the cluster sandbox has no fault proxy/);
  });
});
