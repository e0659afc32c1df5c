/**
 * The audit trail's hash chain: each entry's hash is the SHA-256 of the one before and of the
 * entry itself, in a canonical JSON (keys sorted: jsonb keeps no order), so an entry changed or
 * removed in the database breaks every hash after it. Pure: the store, the API and
 * `npm run audit -- verify` share it.
 */
import crypto from "node:crypto";

export const GENESIS = "0".repeat(64);

/** JSON with every object's keys sorted, so the same entry always hashes the same. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function chainHash(prevHash: string, seq: number, entry: unknown): string {
  return crypto
    .createHash("sha256")
    .update(`${prevHash}\n${seq}\n${canonical(entry)}`)
    .digest("hex");
}

export interface ChainRow {
  seq: number;
  entry: unknown;
  prevHash: string;
  hash: string;
}

/** The first entry that breaks the chain (edited, removed or reordered), or null when it is intact. */
export function firstBreak(rows: readonly ChainRow[]): { seq: number; reason: string } | null {
  let prev = GENESIS;
  let expectedSeq = rows[0]?.seq ?? 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq) return { seq: r.seq, reason: `entry ${expectedSeq} is missing (the next is ${r.seq})` };
    if (r.prevHash !== prev) return { seq: r.seq, reason: "its link to the entry before does not match (an entry before it was removed or changed)" };
    if (chainHash(prev, r.seq, r.entry) !== r.hash) return { seq: r.seq, reason: "its content does not match its hash (it was changed)" };
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  return null;
}
