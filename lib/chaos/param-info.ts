/**
 * A scenario's parameters as the UI shows them, read from its zod schema (JSON Schema, with
 * the `help` and `unit` each field carries in `.meta()`), so the form and the validation cannot
 * drift apart. Pure.
 */
import { z } from "zod";
import type { ScenarioParamInfo } from "./types";

export interface ParamMeta {
  help: string;
  unit?: string;
}

interface JsonProperty {
  type?: string;
  enum?: string[];
  default?: number | string;
  minimum?: number;
  maximum?: number;
  help?: string;
  unit?: string;
}

export function paramsInfo(schema: z.ZodObject): ScenarioParamInfo[] {
  const json = z.toJSONSchema(schema, { io: "input" }) as { properties?: Record<string, JsonProperty> };
  return Object.entries(json.properties ?? {}).map(([name, p]) => {
    if (p.default === undefined) throw new Error(`scenario parameter ${name} has no default`);
    if (!p.help) throw new Error(`scenario parameter ${name} has no help in .meta()`);
    const base = { name, default: p.default, help: p.help, ...(p.unit ? { unit: p.unit } : {}) };
    if (p.enum) return { ...base, type: "enum", options: p.enum };
    if (p.type !== "number" && p.type !== "integer") throw new Error(`scenario parameter ${name} is neither a number nor an enum`);
    return { ...base, type: "number", ...(p.minimum !== undefined ? { min: p.minimum } : {}), ...(p.maximum !== undefined ? { max: p.maximum } : {}) };
  });
}
