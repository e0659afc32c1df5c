import "server-only";
/**
 * The three keys that make an external deployment a chaos target, checked before every run and
 * named in the refusal with the command that fixes it: the config's `chaos.allow`, the marker
 * `rrc:chaos-allowed` = the deployment's name on the master, and the lock
 * `SET rrc:chaos-lock <run id> NX PX <ttl>` that no other run holds.
 */
import type Redis from "ioredis";
import { FaultJournal, fileJournal, type JournalBackend } from "../journal";

export const MARKER_KEY = "rrc:chaos-allowed";
export const LOCK_KEY = "rrc:chaos-lock";

/** `journal`: an unfinished fault journal of an earlier run blocks the target until it is undone. */
export type OptInKey = "chaos.allow" | "marker" | "lock" | "journal";
export interface Refusal {
  key: OptInKey;
  reason: string;
  fix: string;
}

export function configRefusal(deployment: string, allow: boolean | undefined, hasUser: boolean): Refusal | null {
  if (allow && hasUser) return null;
  return {
    key: "chaos.allow",
    reason: `deployment "${deployment}" is not opted in to chaos: its config has no "chaos": {"allow": true, "username": …}`,
    fix: `add "chaos": {"allow": true, "username": "rrc-chaos", "password": {"from": "env", "name": "RRC_CHAOS_PASSWORD"}} to the deployment in CONSOLE_CONFIG and restart the console`,
  };
}

/** The marker: a config pointed at the wrong Redis by mistake is refused here. */
/** redis-cli's connection flags for a TLS node: the CA file the config names, a user allowed to write, its password asked for. */
export function cliFlags(tls: boolean): string {
  return tls ? " --tls --cacert <the file in redis.tls.ca> --user <admin user> --askpass" : "";
}

export async function markerRefusal(master: Redis, deployment: string, masterAddress: string, tls = false): Promise<Refusal | null> {
  const value = await master.get(MARKER_KEY);
  if (value === deployment) return null;
  return {
    key: "marker",
    reason:
      value === null
        ? `the master ${masterAddress} has no ${MARKER_KEY} key: this Redis was not marked as a chaos target`
        : `the master ${masterAddress}'s ${MARKER_KEY} names "${value.slice(0, 100)}", not "${deployment}": this config may point at the wrong Redis`,
    fix: `redis-cli -h ${masterAddress.split(":")[0]} -p ${masterAddress.split(":")[1]}${cliFlags(tls)} SET ${MARKER_KEY} ${deployment}`,
  };
}

/** Takes the lock for `runId`; a refusal names the run that holds it. */
export async function takeLock(master: Redis, runId: string, ttlMs: number, masterAddress: string): Promise<Refusal | null> {
  const ok = await master.set(LOCK_KEY, runId, "PX", ttlMs, "NX");
  if (ok === "OK") return null;
  const holder = await master.get(LOCK_KEY);
  const pttl = await master.pttl(LOCK_KEY);
  return {
    key: "lock",
    reason: `another chaos run (${(holder ?? "?").slice(0, 100)}) holds ${LOCK_KEY} on ${masterAddress}${pttl > 0 ? ` for ${Math.ceil(pttl / 1000)} s more` : ""}: two consoles never run chaos on one stack at once`,
    fix: `wait for that run to end (or abort it in the console that runs it); a lock left by a dead console expires by itself, or: redis-cli -h ${masterAddress.split(":")[0]} -p ${masterAddress.split(":")[1]} DEL ${LOCK_KEY}`,
  };
}

/** Deletes the lock only if this run still holds it (never another console's). */
export async function releaseLock(master: Redis, runId: string): Promise<void> {
  await master.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, LOCK_KEY, runId);
}

export function refusalMessage(r: Refusal): string {
  return `chaos refused (${r.key}): ${r.reason}. Fix: ${r.fix}`;
}

/** An earlier run's unfinished journal: the only record of its originals, so no run begins over it. */
export async function journalRefusal(backend: JournalBackend): Promise<Refusal | null> {
  const earlier = await backend.read();
  if (!earlier) return null;
  return {
    key: "journal",
    reason: `run ${earlier.runId}'s fault journal (${backend.where}) is not finished: its restore has not succeeded yet, or its run is still going on another console`,
    fix: "let the console finish it (it retries the restore) once the target answers, or restore what it lists by hand and delete the file",
  };
}

/**
 * The first two keys of a run on any dev stack, then its journal: the config's consent, and no
 * earlier run's unfinished journal (never written over: it is the only record of the originals).
 */
export async function openRunJournal(opts: {
  deployment: string;
  allow: boolean | undefined;
  hasUser: boolean;
  journal?: JournalBackend;
  dataDir: string;
  runId: string;
}): Promise<{ ok: true; journal: FaultJournal } | { ok: false; refusal: Refusal }> {
  const cfg = configRefusal(opts.deployment, opts.allow, opts.hasUser);
  if (cfg) return { ok: false, refusal: cfg };
  const backend = opts.journal ?? fileJournal(opts.dataDir);
  const unfinished = await journalRefusal(backend);
  if (unfinished) return { ok: false, refusal: unfinished };
  return { ok: true, journal: new FaultJournal(backend, opts.deployment, opts.runId) };
}
