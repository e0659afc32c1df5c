import { describe, expect, it } from "vitest";
import { resolveSettings } from "../settings";

describe("--power-loss-aof", () => {
  it("is off unless a flag or DEVSTACK_POWER_LOSS_AOF asks for it", () => {
    expect(resolveSettings([], {}).powerLossAof).toBeUndefined();
    expect(resolveSettings(["--power-loss-aof"], {}).powerLossAof).toBe(true);
    expect(resolveSettings([], { DEVSTACK_POWER_LOSS_AOF: "true" }).powerLossAof).toBe(true);
    expect(resolveSettings(["--power-loss-aof=false"], { DEVSTACK_POWER_LOSS_AOF: "true" }).powerLossAof).toBeUndefined();
  });
  it("refuses anything but true or false", () => {
    expect(() => resolveSettings(["--power-loss-aof=yes"], {})).toThrow(/power-loss-aof must be true or false/);
  });
});
