import { describe, expect, it } from "vitest";
import { resolveSettings } from "../settings";

const env = (vars: Record<string, string> = {}) => vars as NodeJS.ProcessEnv;

describe("--power-loss-aof", () => {
  it("is off unless a flag or DEVSTACK_POWER_LOSS_AOF asks for it", () => {
    expect(resolveSettings([], env()).powerLossAof).toBeUndefined();
    expect(resolveSettings(["--power-loss-aof"], env()).powerLossAof).toBe(true);
    expect(resolveSettings([], env({ DEVSTACK_POWER_LOSS_AOF: "true" })).powerLossAof).toBe(true);
    expect(resolveSettings(["--power-loss-aof=false"], env({ DEVSTACK_POWER_LOSS_AOF: "true" })).powerLossAof).toBeUndefined();
  });
  it("refuses anything but true or false", () => {
    expect(() => resolveSettings(["--power-loss-aof=yes"], env())).toThrow(/power-loss-aof must be true or false/);
  });
});
