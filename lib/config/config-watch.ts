import "server-only";
/**
 * The config file (CONSOLE_CONFIG) is read again while the console runs: the claims policy,
 * the guardrails a run starts with and the notifications each come from the file as it is now.
 * This watcher sees each new version (one stat every few seconds) and writes to the audit
 * trail, as the actor "config watcher", which fields changed and whether they are in effect now
 * or at the next start — field paths only, never a value (a secret may be among them).
 */
import fs from "node:fs";
import { audit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import { configChange, describeChange } from "./config-diff";
import { loadDeployments } from "./load";

const CHECK_EVERY_MS = 2000;

export const CONFIG_WATCHER: Principal = { kind: "system", actor: "config watcher", grants: [], via: "none" };

function signatureOf(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return "absent";
  }
}

/** The file's JSON, or why it cannot be used (never its text: a JSON error quotes the file). */
function readJson(file: string): { ok: true; json: unknown } | { ok: false; why: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    return { ok: false, why: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, why: "is not valid JSON" };
  }
}

/** Whether the new version would pass the start's validation; the reason with quoted text masked (a value may be quoted in it). */
function validationProblem(): string | null {
  try {
    loadDeployments();
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^CONSOLE_CONFIG=\S+ (is invalid: )?/, "").replace(/"[^"]*"/g, '"…"');
  }
}

const g = globalThis as typeof globalThis & { __rrcConfigWatch?: NodeJS.Timeout };

/** Starts the watcher once per server process (nothing to watch without CONSOLE_CONFIG). */
export function watchConfigFile(file = process.env.CONSOLE_CONFIG): void {
  if (!file || g.__rrcConfigWatch) return;
  let signature = signatureOf(file);
  const first = readJson(file);
  let last: unknown = first.ok ? first.json : null;
  g.__rrcConfigWatch = setInterval(() => {
    const now = signatureOf(file);
    if (now === signature) return;
    signature = now;
    const read = readJson(file);
    if (!read.ok) {
      void audit(null, CONFIG_WATCHER, { action: "config.reloaded", target: file, outcome: `not applied: the file ${read.why}; the last good version stays` });
      return;
    }
    const change = configChange(last, read.json);
    if (change.paths.length === 0) return; // rewritten with the same content
    last = read.json;
    const problem = validationProblem();
    const outcome = problem ? `invalid, not applied (${problem.slice(0, 300)}): ${describeChange(change)}` : describeChange(change);
    void audit(null, CONFIG_WATCHER, { action: "config.reloaded", target: file, outcome });
  }, CHECK_EVERY_MS);
  g.__rrcConfigWatch.unref();
}
