/**
 * What changed between two readings of the config file, as field paths only — never a value,
 * so a summary can go to the audit trail even when a secret (an inline header, a URL with a
 * token) changed. Deployments are named by their `deployment`, not their index. Pure.
 */

/** Parts the console reads again on its own while it runs (claims policy, guardrails at a run's start, notifications per event). */
const LIVE = new Set(["claims", "guardrails", "notifications"]);
const MAX_DEPTH = 4;

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The file as { deployment name → entry, auth }: the single-deployment form is one entry. */
function byDeployment(file: Json): { auth: Json; deployments: Map<string, Json> } {
  const root = isObject(file) ? file : {};
  const list = Array.isArray(root.deployments) ? root.deployments : "deployments" in root ? [] : [root];
  const deployments = new Map<string, Json>();
  list.forEach((entry, i) => {
    const name = isObject(entry) && typeof entry.deployment === "string" ? entry.deployment : list === root.deployments ? `#${i}` : "sandbox";
    const rest = isObject(entry) ? Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "auth")) : entry;
    deployments.set(name, rest);
  });
  return { auth: root.auth, deployments };
}

function changedPaths(before: Json, after: Json, at: string[], out: string[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (isObject(before) && isObject(after) && at.length < MAX_DEPTH) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) changedPaths(before[k], after[k], [...at, k], out);
    return;
  }
  out.push(at.join("."));
}

export interface ConfigChange {
  /** e.g. "deployments.staging-eu.guardrails", "auth.viewerLinks.maxSessions", "deployments.prod (added)". */
  paths: string[];
  /** The paths the running console does not take up until its next start. */
  atRestart: string[];
}

export function configChange(before: Json, after: Json): ConfigChange {
  const a = byDeployment(before);
  const b = byDeployment(after);
  const paths: string[] = [];
  const atRestart: string[] = [];
  const note = (p: string, live: boolean) => {
    paths.push(p);
    if (!live) atRestart.push(p);
  };
  const authPaths: string[] = [];
  changedPaths(a.auth, b.auth, ["auth"], authPaths);
  for (const p of authPaths) note(p, false);
  for (const name of new Set([...a.deployments.keys(), ...b.deployments.keys()])) {
    const was = a.deployments.get(name);
    const now = b.deployments.get(name);
    if (was === undefined || now === undefined) {
      note(`deployments.${name} (${was === undefined ? "added" : "removed"})`, false);
      continue;
    }
    const inner: string[] = [];
    changedPaths(was, now, ["deployments", name], inner);
    for (const p of inner) note(p, LIVE.has(p.split(".")[2] ?? ""));
  }
  return { paths, atRestart };
}

/** One line for the audit trail's outcome. */
export function describeChange(c: ConfigChange): string {
  if (c.paths.length === 0) return "no change";
  const live = c.paths.filter((p) => !c.atRestart.includes(p));
  const parts = [
    live.length ? `changed, in effect now: ${live.join(", ")}` : "",
    c.atRestart.length ? `changed, in effect at the next start: ${c.atRestart.join(", ")}` : "",
  ];
  return parts.filter(Boolean).join("; ");
}
