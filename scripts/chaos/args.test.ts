import { describe, expect, it } from "vitest";
import { GUIDE_SUITE, paramsFor, parseArgs, UsageError } from "./args";

describe("parseArgs", () => {
  it("runs the guide's suite by default, reports to ./chaos-report", () => {
    expect(parseArgs([])).toEqual({ scenarios: GUIDE_SUITE, out: "chaos-report", params: [], local: false, help: false, guardrails: null });
    expect(GUIDE_SUITE).toEqual(["outage", "memory-pressure", "restart-under-load", "data-integrity"]);
  });
  it("all adds latency, failover and connection-exhaustion; a name runs that one", () => {
    expect(parseArgs(["all"]).scenarios).toEqual([
      "outage",
      "latency",
      "memory-pressure",
      "restart-under-load",
      "data-integrity",
      "failover",
      "connection-exhaustion",
    ]);
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
  it("reads --guardrail in short form or JSON, none for no guardrail, and names what is wrong", () => {
    expect(parseArgs(["latency", "--guardrail", "layer-not-ok,forSeconds=5", '--guardrail={"kind":"memory-above","ratio":0.95}']).guardrails).toEqual([
      { kind: "layer-not-ok", forSeconds: 5 },
      { kind: "memory-above", ratio: 0.95, forSeconds: 0 },
    ]);
    expect(parseArgs(["--guardrail", "layer-not-ok,layers=L1+L2"]).guardrails).toEqual([{ kind: "layer-not-ok", forSeconds: 5, layers: ["L1", "L2"] }]);
    expect(parseArgs(["--guardrail", "none"]).guardrails).toEqual([]);
    expect(() => parseArgs(["--guardrail", "memory-above,ratio=2"])).toThrow(/ratio: ratio is used\/maxmemory, between 0 and 1/);
    expect(() => parseArgs(["--guardrail", "meteor"])).toThrow(UsageError);
  });
});
