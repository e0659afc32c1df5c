import { describe, expect, it } from "vitest";
import { z } from "zod";
import { paramsInfo } from "./param-info";

describe("paramsInfo", () => {
  it("reads type, default, bounds, options, unit and help from the schema", () => {
    const schema = z.strictObject({
      mode: z.enum(["kill", "freeze"]).default("kill").meta({ help: "how" }),
      durationSeconds: z.number().int().min(3).max(120).default(10).meta({ help: "how long", unit: "s" }),
    });
    expect(paramsInfo(schema)).toEqual([
      { name: "mode", type: "enum", default: "kill", options: ["kill", "freeze"], help: "how" },
      { name: "durationSeconds", type: "number", default: 10, min: 3, max: 120, unit: "s", help: "how long" },
    ]);
  });
  it("refuses a parameter without a default or help, so the form always has both", () => {
    expect(() => paramsInfo(z.strictObject({ n: z.number().meta({ help: "n" }) }))).toThrow(/no default/);
    expect(() => paramsInfo(z.strictObject({ n: z.number().default(1) }))).toThrow(/no help/);
  });
});
