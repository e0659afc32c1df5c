import { describe, expect, it } from "vitest";
import { GUIDE_SUITE, paramsFor, parseArgs, UsageError } from "./args";

describe("parseArgs", () => {
  it("runs the guide's suite by default, reports to ./chaos-report", () => {
    expect(parseArgs([])).toEqual({ scenarios: GUIDE_SUITE, out: "chaos-report", params: [], local: false, help: false });
    expect(GUIDE_SUITE).toEqual(["outage", "memory-pressure", "restart-under-load", "data-integrity"]);
  });
  it("all adds latency and failover; a name runs that one", () => {
    expect(parseArgs(["all"]).scenarios).toEqual(["outage", "latency", "memory-pressure", "restart-under-load", "data-integrity", "failover"]);
    expect(parseArgs(["latency"]).scenarios).toEqual(["latency"]);
  });
  it("reads --out, --param (numbers as numbers) and --local", () => {
    const a = parseArgs(["outage", "--out", "/tmp/r", "--param", "durationSeconds=3", "--param=outage.mode=network", "--local"]);
    expect(a.out).toBe("/tmp/r");
    expect(a.local).toBe(true);
    expect(a.params).toEqual([
      { scenario: null, name: "durationSeconds", value: 3 },
      { scenario: "outage", name: "mode", value: "network" },
    ]);
  });
  it("refuses unknown scenarios and options with the reason", () => {
    expect(() => parseArgs(["meteor"])).toThrow(UsageError);
    expect(() => parseArgs(["meteor"])).toThrow(/unknown scenario "meteor".*outage/);
    expect(() => parseArgs(["--frobnicate"])).toThrow(/unknown option/);
    expect(() => parseArgs(["outage", "latency"])).toThrow(/one scenario at most/);
    expect(() => parseArgs(["--param", "nonsense"])).toThrow(/name=value/);
    expect(() => parseArgs(["--out"])).toThrow(/needs a value/);
  });
});

describe("paramsFor", () => {
  const overrides = parseArgs(["--param", "durationSeconds=3", "--param", "outage.mode=network"]).params;
  it("applies bare names only where the scenario declares them", () => {
    expect(paramsFor("outage", overrides, ["mode", "durationSeconds"])).toEqual({ durationSeconds: 3, mode: "network" });
    expect(paramsFor("failover", overrides, ["method"])).toEqual({});
    expect(paramsFor("latency", overrides, ["ms", "durationSeconds"])).toEqual({ durationSeconds: 3 });
  });
});
