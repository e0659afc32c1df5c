import "server-only";
/**
 * Reads the devstack's state file (the sandbox's contract with the console). Only the fields
 * the console needs are parsed; the password stays inside the server process.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const Port = z.number().int();
const DevstackStateSchema = z.object({
  stackId: z.string(),
  basePort: Port,
  masterName: z.string(),
  password: z.string(),
  ready: z.boolean(),
  supervisorPid: z.number().int(),
  nodes: z.array(z.object({ name: z.string(), port: Port })),
  sentinels: z.array(z.object({ name: z.string(), port: Port })),
  proxy: z.object({ port: Port }).nullable(),
  control: z.object({ port: Port, url: z.string() }).nullable(),
  layers: z.array(z.object({ id: z.string(), port: Port, url: z.string() })),
});
export type DevstackState = z.infer<typeof DevstackStateSchema>;

export function devstackDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.DEVSTACK_DIR ?? ".devstack");
}

/** The state of the devstack in `dir`, or null when there is none (or it is unreadable). */
export function readDevstackState(dir = devstackDir()): DevstackState | null {
  try {
    const parsed = DevstackStateSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
