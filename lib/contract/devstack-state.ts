/**
 * The sandbox's state file (`<dir>/state.json`, mode 0600): written by the devstack supervisor,
 * read by the devstack CLI, the console, the chaos CLI, the bench and the tests — all through
 * this one schema. It holds the secrets (Redis password, control token): they stay in the file
 * and in server processes, never in an answer, a page or a log.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LAYER_IDS } from "./failure-contract";

const Port = z.number().int().min(1).max(65535);

export const ManagedNodeStateSchema = z.object({
  name: z.string(),
  kind: z.enum(["redis", "sentinel"]),
  port: Port,
  pid: z.number().int().nullable(),
  /** Set while the process is stopped with SIGSTOP. */
  frozen: z.boolean().optional(),
});
export type ManagedNodeState = z.infer<typeof ManagedNodeStateSchema>;

/** The settings the sandbox was started with (devstack/settings.ts `StackSettings`). */
export const StackSettingsSchema = z.object({
  dir: z.string(),
  basePort: Port,
  masterName: z.string(),
  redis: z.record(z.string(), z.string()),
  sentinel: z.record(z.string(), z.string()),
  llmLatencyMs: z.number(),
  /** The nodes run under the power-loss shim (devstack/topology/power-loss-shim.ts). */
  powerLossAof: z.boolean().optional(),
  tls: z.boolean().optional(),
  acl: z.boolean().optional(),
});

/** A login to a sandbox node or sentinel: what ioredis needs besides host and port. */
export interface SandboxLogin {
  username?: string;
  password?: string;
  tls?: { ca: string };
}

export const StackStateSchema = z.object({
  stackId: z.string().min(1),
  dir: z.string(),
  host: z.literal("127.0.0.1"),
  basePort: Port,
  masterName: z.string().min(1),
  /** The devstack's own password (its ACL user `username` on a sandbox with --acl, else the default user's). */
  password: z.string(),
  /** Absent: the default user (`requirepass`). With --acl: "devstack"; the sentinels then require `password` too. */
  username: z.string().optional(),
  /** With --tls: the CA (PEM path) that signed the nodes' and sentinels' certificate; they listen on TLS only. */
  tls: z.object({ ca: z.string() }).nullable().optional(),
  /** With --acl: the console's read-only user, on the nodes and on the sentinels. */
  console: z.object({ username: z.string(), password: z.string() }).nullable().optional(),
  controlToken: z.string(),
  supervisorPid: z.number().int(),
  startedAt: z.string(),
  /** False until the topology is healthy and every service listens. */
  ready: z.boolean(),
  nodes: z.array(ManagedNodeStateSchema),
  sentinels: z.array(ManagedNodeStateSchema),
  /** Null until the service listens. */
  proxy: z.object({ port: Port }).nullable(),
  control: z.object({ port: Port, url: z.string() }).nullable(),
  layers: z.array(z.object({ id: z.enum(LAYER_IDS), port: Port, url: z.string() })),
  settings: StackSettingsSchema,
});
export type StackState = z.infer<typeof StackStateSchema>;

/** How the devstack's clients (and a test's or the bench's) log in to this sandbox's nodes and sentinels. */
export function stateAuth(state: StackState): { devstack: SandboxLogin; sentinel: SandboxLogin; console: SandboxLogin } {
  const tls = state.tls ? { tls: { ca: state.tls.ca } } : {};
  return {
    devstack: { ...(state.username ? { username: state.username } : {}), password: state.password, ...tls },
    sentinel: { ...(state.username ? { password: state.password } : {}), ...tls },
    console: { ...(state.console ?? { password: state.password }), ...tls },
  };
}

export function stateFile(dir: string): string {
  return path.join(dir, "state.json");
}

/** Parses the file's text; null when it is not a state file of this shape. */
export function parseStackState(text: string): StackState | null {
  try {
    const parsed = StackStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The state of the sandbox in `dir`, or null when there is none (or it is unreadable or of another shape). */
export function readStackState(dir: string): StackState | null {
  let text: string;
  try {
    text = fs.readFileSync(stateFile(dir), "utf8");
  } catch {
    return null;
  }
  return parseStackState(text);
}
